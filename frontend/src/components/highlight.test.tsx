import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Highlight } from "./highlight";

describe("Highlight", () => {
  it("turns <mark> into elements and keeps the rest as text", () => {
    const { container } = render(<Highlight html="<mark>customer</mark>_id &amp; more" />);
    expect(container.querySelectorAll("mark")).toHaveLength(1);
    expect(container.querySelector("mark")?.textContent).toBe("customer");
    expect(container.textContent).toBe("customer_id & more");
  });

  it("never renders markup from the text", () => {
    const hostile = 'say &lt;img src=x onerror=alert(1)&gt; <img src=x onerror="alert(2)"> <script>alert(3)</script> <mark>hi</mark>';
    const { container } = render(<Highlight html={hostile} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(container.textContent).toContain("<script>alert(3)</script>");
    expect(container.querySelectorAll("mark")).toHaveLength(1);
  });
});
