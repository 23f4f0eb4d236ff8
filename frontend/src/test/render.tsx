import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { AppProvider } from "@/app/provider";
import { RouteError } from "@/components/error-boundary";
import { makeQueryClient } from "@/lib/query-client";

/** Render `element` at `url` inside the app's providers, with a router that tracks the URL. */
export function renderRoute(element: ReactElement, { path = "/", url = "/", extraRoutes = [] }: { path?: string; url?: string; extraRoutes?: RouteObject[] } = {}) {
  // The app's own client (toasts on errors), without retries so failures show at once.
  const queryClient = makeQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity, refetchInterval: false }, mutations: { retry: false } });
  const router = createMemoryRouter([{ path, element, errorElement: <RouteError /> }, ...extraRoutes], { initialEntries: [url] });
  const utils = render(<AppProvider queryClient={queryClient}>{<RouterProvider router={router} />}</AppProvider>);
  return { ...utils, router, queryClient, location: () => router.state.location };
}
