import { AlertTriangle, RotateCcw } from "lucide-react";
import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-error";

/** A route's errorElement: the page failed to render, the rest of the app keeps working. */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <div role="alert" className="mx-auto mt-16 flex max-w-lg flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center">
      <AlertTriangle className="size-10 text-warning" />
      <h2 className="text-lg font-semibold">{notFound ? "Page not found" : "This page could not be shown"}</h2>
      <p className="text-sm break-words text-muted-foreground">
        {notFound ? "The address does not match any page of the dashboard." : message}
      </p>
      <div className="flex gap-2">
        {!notFound && (
          <Button variant="outline" onClick={() => window.location.reload()}>
            <RotateCcw /> Reload
          </Button>
        )}
        <Button asChild>
          <Link to="/">Go to the dashboard</Link>
        </Button>
      </div>
    </div>
  );
}

export function NotFound() {
  return (
    <div className="mx-auto mt-16 flex max-w-lg flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center">
      <h2 className="text-lg font-semibold">Page not found</h2>
      <p className="text-sm text-muted-foreground">The address does not match any page of the dashboard.</p>
      <Button asChild>
        <Link to="/">Go to the dashboard</Link>
      </Button>
    </div>
  );
}
