import { useCallback } from "react";
import { useSearchParams } from "react-router";

export type UrlUpdates = Record<string, string | number | boolean | null | undefined>;

/**
 * Page state that lives in the URL (filters, tabs, pagination), so a view can be shared and
 * the back button works. Setting a filter resets `page` unless the update sets it.
 */
export function useUrlState() {
  const [params, setParams] = useSearchParams();

  const get = useCallback((key: string): string | undefined => params.get(key) ?? undefined, [params]);

  const getNumber = useCallback(
    (key: string, fallback: number): number => {
      const value = Number(params.get(key));
      return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
    },
    [params],
  );

  const set = useCallback(
    (updates: UrlUpdates, options: { replace?: boolean; keepPage?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(updates)) {
            if (value === undefined || value === null || value === "" || value === false) next.delete(key);
            else next.set(key, String(value));
          }
          if (!("page" in updates) && !options.keepPage) next.delete("page");
          return next;
        },
        { replace: options.replace },
      );
    },
    [setParams],
  );

  return { params, get, getNumber, set };
}
