"""DataPact's quality SLAs written as ODCS, in the forms ODCS tools execute.

- freshness: ``slaProperties`` entry ``freshness`` with ``element: <object>.<column>`` (the
  column it is measured on) and a value in ``d``/``h``/``m`` (an ISO 8601 duration below a
  minute), as datacontract-cli runs it;
- completeness (share of non-null values of each nullable field): a ``nullValues`` library
  rule on each nullable field, ``mustBeLessOrEqualTo: <100 - X>`` with ``unit: percent``
  (a ``required`` field must have none, which ``required: true`` says);
- uniqueness (no duplicate values in the primary key and ``unique`` fields): a
  ``duplicateValues`` rule with ``mustBe: 0`` on each such field, or on the object with
  ``arguments.properties`` for a primary key over several fields;
- volume (a row-count range): a ``rowCount`` rule on the object (``mustBeBetween``,
  ``mustBeGreaterOrEqualTo``, ``mustBeLessOrEqualTo``, or ``mustBe`` for an exact count);
- a completeness or uniqueness SLA that names its ``fields`` gets rules on those only;
- every SLA also as a ``slaProperties`` entry, which is what DataPact reads back (the
  volume range as its text value, ``1000..50000``; the named fields in ``datapactQuality``).

The rules carry the custom property ``datapactRule``: they are derived from the SLA and
regenerated on each export (an import leaves them out of the document it keeps).
"""

from __future__ import annotations

from typing import Any

from datapact_common.contract_schema import ContractDefinition, MetricType, QualityMetric
from datapact_common.odcs import mapping as m
from datapact_common.odcs.slas import applies_to, method_column, number_text, sla_metric
from datapact_common.thresholds import Duration, Percentage, RowRange

DEFAULT_FRESHNESS_COLUMN = "updated_at"  # what the data service measures when none is named
_WHOLE_UNITS = (("d", 86400), ("h", 3600), ("m", 60))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _rule(metric: str, sla: MetricType, description: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "library",
        "metric": metric,
        **fields,
        "description": description,
        "customProperties": [{"property": m.RULE, "value": str(sla)}],
    }


class QualityWriter:
    def __init__(self, version: str) -> None:
        self.version = version

    # -- slaProperties --------------------------------------------------------------------------
    def slas(
        self,
        doc: dict[str, Any],
        contract: ContractDefinition,
        was: ContractDefinition | None,
        object_for: dict[str, str],
        property_names: dict[str, str],
    ) -> None:
        """Write the contract's SLAs into ``doc["slaProperties"]``: an entry whose metric
        did not change since import stays as written, others are rewritten in place.
        ``property_names`` gives each field's property name in the document."""
        objects = list(object_for.values())
        own = object_for.get(contract.name, contract.name)
        wanted = {q.metric_type: q for q in contract.quality}
        result: list[dict[str, Any]] = []
        done: set[MetricType] = set()
        for entry in doc.get("slaProperties", []):
            metric = sla_metric(entry)
            applies = metric is not None and applies_to(entry.get("element"), own, objects)
            if metric is None or not applies:
                result.append(entry)  # not a DataPact SLA, or another object's
                continue
            if metric in done or metric not in wanted:
                continue
            done.add(metric)
            before = was.quality_metric(metric) if was is not None else None
            if before != wanted[metric]:
                # The element stays as written while the column it names is the same.
                same_column = before is not None and (
                    before.measurement_method == wanted[metric].measurement_method
                )
                keep = {"element": entry["element"]} if same_column and "element" in entry else {}
                entry = {**self._sla(wanted[metric], contract, own, property_names, entry), **keep}
            result.append(entry)
        for metric, quality in wanted.items():
            if metric not in done:
                result.append(self._sla(quality, contract, own, property_names, {}))
        if result:
            doc["slaProperties"] = result
        else:
            doc.pop("slaProperties", None)

    def _sla(
        self,
        quality: QualityMetric,
        contract: ContractDefinition,
        object_name: str,
        property_names: dict[str, str],
        written: dict[str, Any],
    ) -> dict[str, Any]:
        entry = {k: v for k, v in written.items() if k not in ("value", "unit", "element")}
        entry.setdefault("property", m.SLA_PROPERTY[quality.metric_type])
        threshold = quality.parsed_threshold()
        if isinstance(threshold, Duration):
            entry |= _duration(threshold.seconds)
            column = freshness_column(contract)
            if column is not None:
                entry["element"] = f"{object_name}.{property_names.get(column, column)}"
        elif isinstance(threshold, RowRange):
            entry["value"] = quality.threshold.strip()
        else:
            entry |= {"value": _number(threshold.value), "unit": "percent"}
        return entry

    # -- quality rules ------------------------------------------------------------------------
    def rules(self, obj: dict[str, Any], contract: ContractDefinition) -> None:
        """Add the rules derived from the completeness and uniqueness SLAs to ``obj``, whose
        ``properties`` are the contract's fields in order."""
        pairs = list(zip(contract.schema_fields, obj.get("properties", []), strict=True))
        completeness = contract.quality_metric(MetricType.COMPLETENESS)
        if completeness is not None:
            share = completeness.parsed_threshold()
            assert isinstance(share, Percentage)
            for field, prop in pairs:
                if field.nullable and completeness.applies_to(field.name):
                    rule = _rule(
                        "nullValues",
                        MetricType.COMPLETENESS,
                        f"completeness SLA: at least {share} non-null",
                        mustBeLessOrEqualTo=_number(round(100 - share.value, 10)),
                        unit="percent",
                    )
                    prop["quality"] = [*prop.get("quality", []), rule]
        volume = contract.quality_metric(MetricType.VOLUME)
        if volume is not None:
            obj["quality"] = [*obj.get("quality", []), _row_count_rule(volume)]
        uniqueness = contract.quality_metric(MetricType.UNIQUENESS)
        if uniqueness is None:
            return
        description = "uniqueness SLA: no duplicate values"
        key = [(field, prop) for field, prop in pairs if field.is_primary_key]
        for field, prop in pairs:
            if not uniqueness.applies_to(field.name):
                continue
            if field.unique or (field.is_primary_key and len(key) == 1):
                rule = _rule("duplicateValues", MetricType.UNIQUENESS, description, mustBe=0)
                prop["quality"] = [*prop.get("quality", []), rule]
        if len(key) > 1 and all(uniqueness.applies_to(field.name) for field, _ in key):
            columns = [_column(prop) for _, prop in key]
            rule = _rule(
                "duplicateValues",
                MetricType.UNIQUENESS,
                f"{description} in the primary key ({', '.join(columns)})",
                arguments={"properties": columns},
                mustBe=0,
            )
            obj["quality"] = [*obj.get("quality", []), rule]


def _row_count_rule(volume: QualityMetric) -> dict[str, Any]:
    """The volume SLA as ODCS's ``rowCount`` library rule (what datacontract-cli runs)."""
    expected = volume.parsed_threshold()
    assert isinstance(expected, RowRange)
    bounds: dict[str, Any]
    if expected.minimum is not None and expected.minimum == expected.maximum:
        bounds = {"mustBe": expected.minimum}  # mustBeBetween's two items must differ
    elif expected.minimum is not None and expected.maximum is not None:
        bounds = {"mustBeBetween": [expected.minimum, expected.maximum]}
    elif expected.minimum is not None:
        bounds = {"mustBeGreaterOrEqualTo": expected.minimum}
    else:
        bounds = {"mustBeLessOrEqualTo": expected.maximum}
    return _rule("rowCount", MetricType.VOLUME, f"volume SLA: {expected}", **bounds)


def _column(prop: dict[str, Any]) -> str:
    """The column a property is in the database (what datacontract-cli queries)."""
    physical = prop.get("physicalName")
    return physical if isinstance(physical, str) else str(prop.get("name"))


def freshness_column(contract: ContractDefinition) -> str | None:
    """The field freshness is measured on (the data service's column: the field's
    physical name, or its name), if it is one."""
    metric = contract.quality_metric(MetricType.FRESHNESS)
    if metric is None:
        return None
    method = (metric.measurement_method or "").strip()
    column = method_column(method) if method else DEFAULT_FRESHNESS_COLUMN
    field = next((f for f in contract.schema_fields if (f.physical_name or f.name) == column), None)
    return field.name if field is not None else None


def _duration(seconds: float) -> dict[str, Any]:
    """``value``/``unit`` in the largest whole unit datacontract-cli reads (d, h, m), or an
    ISO 8601 duration below that (``PT90S``, ``PT0.5S``)."""
    for unit, size in _WHOLE_UNITS:
        if seconds >= size and seconds % size == 0:
            return {"value": int(seconds // size), "unit": unit}
    return {"value": f"PT{number_text(seconds)}S"}
