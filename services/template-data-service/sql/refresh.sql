-- One step of life in the example database, run every 30 s while the platform runs
-- (scripts/refresh-example-data.sh, the Procfile's `example-data`), in one transaction.
-- Every table under a freshness SLA gets a new or changed row with the current time, so
-- it stays within its SLA; nothing here breaks a promise, and nothing touches the rows
-- planted to break one (data_service.dataset.acme), nor acme.shipment_events: its
-- staleness is planted. The seed (python -m data_service.seed) must have run.

-- The shop (public schema; services/template-data-service/contract.yaml) -----------------
UPDATE products
SET unit_price = round(unit_price * (0.95 + random() * 0.1)::numeric, 2), updated_at = now()
WHERE id = (SELECT id FROM products WHERE active ORDER BY random() LIMIT 1);

UPDATE customers
SET loyalty_tier = (ARRAY['bronze', 'silver', 'gold', 'platinum'])[1 + floor(random() * 4)::int],
    updated_at = now()
WHERE id IN (SELECT id FROM customers ORDER BY random() LIMIT 2);

WITH buyer AS (SELECT id FROM customers ORDER BY random() LIMIT 1),
basket AS (
    SELECT id, unit_price, row_number() OVER () AS line
    FROM (SELECT id, unit_price FROM products WHERE active ORDER BY random() LIMIT 3) AS picked
),
placed AS (
    INSERT INTO orders (order_number, customer_id, status, currency, total_amount, placed_at,
                        updated_at)
    SELECT gen_random_uuid(), buyer.id, 'pending', 'EUR',
           (SELECT coalesce(sum(unit_price), 0) FROM basket), now(), now()
    FROM buyer
    RETURNING id
)
INSERT INTO order_items (order_id, line_number, product_id, quantity, unit_price, updated_at)
SELECT placed.id, basket.line, basket.id, 1, basket.unit_price, now()
FROM placed CROSS JOIN basket;

WITH moved AS (
    UPDATE orders
    SET status = CASE status WHEN 'pending' THEN 'paid' WHEN 'paid' THEN 'shipped'
                             ELSE 'delivered' END,
        updated_at = now()
    WHERE id IN (SELECT id FROM orders WHERE status IN ('pending', 'paid', 'shipped')
                 ORDER BY placed_at LIMIT 3)
    RETURNING id
)
UPDATE order_items SET updated_at = now() WHERE order_id IN (SELECT id FROM moved);

-- The example organisation (schema acme; examples/acme) -----------------------------------
UPDATE acme.customers SET updated_at = now()
WHERE customer_id = (SELECT customer_id FROM acme.customers ORDER BY random() LIMIT 1);

UPDATE acme.customer_consents SET granted = NOT granted, recorded_at = now()
WHERE consent_id = (SELECT consent_id FROM acme.customer_consents ORDER BY random() LIMIT 1);

-- a new paid order: its line, its payment, its invoice
WITH buyer AS (SELECT customer_id FROM acme.customers ORDER BY random() LIMIT 1),
item AS (
    SELECT product_id, price, 1 + floor(random() * 3)::int AS quantity
    FROM acme.products WHERE active AND price >= 0 ORDER BY random() LIMIT 1
),
placed AS (
    INSERT INTO acme.orders (order_id, customer_id, status, total_amount, coupon_code,
                             placed_at, updated_at)
    SELECT gen_random_uuid(), buyer.customer_id, 'paid', item.price * item.quantity, NULL,
           now(), now()
    FROM buyer CROSS JOIN item
    RETURNING order_id, customer_id, total_amount
),
line AS (
    INSERT INTO acme.order_items (order_item_id, order_id, product_id, quantity, unit_price)
    SELECT gen_random_uuid(), placed.order_id, item.product_id, item.quantity, item.price
    FROM placed CROSS JOIN item
),
paid AS (
    INSERT INTO acme.payments (payment_id, order_id, amount, method, card_last4, succeeded,
                               processed_at)
    SELECT gen_random_uuid(), order_id, total_amount, 'card',
           lpad(floor(random() * 10000)::int::text, 4, '0'), true, now()
    FROM placed
)
INSERT INTO acme.invoices (invoice_id, order_id, customer_id, invoice_number, issued_on,
                           total_gross)
SELECT gen_random_uuid(), order_id, customer_id,
       'INV-' || to_char(now(), 'YYYY') || '-' || upper(substr(md5(order_id::text), 1, 10)),
       current_date, round(total_amount * 1.19, 2)
FROM placed;

-- the oldest paid order without a parcel leaves a warehouse
WITH next_order AS (
    SELECT order_id FROM acme.orders o
    WHERE status = 'paid'
      AND NOT EXISTS (SELECT 1 FROM acme.shipments s WHERE s.order_id = o.order_id)
    ORDER BY placed_at LIMIT 1
),
shipped AS (
    INSERT INTO acme.shipments (shipment_id, order_id, warehouse_id, carrier_id,
                                tracking_number, shipped_at, delivered_at)
    SELECT gen_random_uuid(), order_id,
           (SELECT warehouse_id FROM acme.warehouses ORDER BY random() LIMIT 1),
           (SELECT carrier_id FROM acme.carriers ORDER BY random() LIMIT 1),
           'TRK' || upper(substr(md5(order_id::text || clock_timestamp()::text), 1, 12)),
           now(), NULL
    FROM next_order
    RETURNING order_id
)
UPDATE acme.orders SET status = 'shipped', updated_at = now()
WHERE order_id IN (SELECT order_id FROM shipped);

-- and the oldest parcel on its way arrives
WITH arrived AS (
    UPDATE acme.shipments SET delivered_at = now()
    WHERE shipment_id = (SELECT s.shipment_id FROM acme.shipments s
                         JOIN acme.orders o USING (order_id)
                         WHERE o.status = 'shipped' AND s.delivered_at IS NULL
                         ORDER BY s.shipped_at LIMIT 1)
    RETURNING order_id
)
UPDATE acme.orders SET status = 'delivered', updated_at = now()
WHERE order_id IN (SELECT order_id FROM arrived);
