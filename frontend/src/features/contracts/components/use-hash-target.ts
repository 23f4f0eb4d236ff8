import { useEffect } from "react";
import { useLocation } from "react-router";

/** Scroll to and flash the element named by the URL's #hash once it is rendered. */
export function useHashTarget(ready: boolean): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || !hash) return;
    const element = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!element) return;
    element.scrollIntoView({ block: "center" });
    element.classList.add("bg-accent");
    const timer = setTimeout(() => element.classList.remove("bg-accent"), 2500);
    return () => clearTimeout(timer);
  }, [ready, hash]);
}
