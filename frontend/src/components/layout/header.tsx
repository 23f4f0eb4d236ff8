import { KeyRound, Monitor, Moon, Sun } from "lucide-react";
import { useSyncExternalStore, type ReactNode } from "react";
import { Link } from "react-router";
import { Button } from "@/components/ui/button";
import { decodeToken, getToken, subscribeToken } from "@/lib/token";
import { useTheme, type Theme } from "@/lib/theme";

const NEXT: Record<Theme, Theme> = { light: "dark", dark: "system", system: "light" };

export function useTokenClaims() {
  const token = useSyncExternalStore(subscribeToken, getToken, () => null);
  return token ? (decodeToken(token) ?? {}) : null;
}

export function Header({ menuButton }: { menuButton?: ReactNode }) {
  const { theme, setTheme } = useTheme();
  const claims = useTokenClaims();
  const ThemeIcon = theme === "dark" ? Moon : theme === "light" ? Sun : Monitor;
  return (
    <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b bg-background/85 px-4 backdrop-blur sm:px-6 lg:px-8">
      {menuButton}
      <div className="flex-1" />
      <Button asChild variant="ghost" size="sm">
        <Link to="/settings" title={claims ? "API token set" : "No API token: reading only"}>
          <KeyRound className={claims ? "text-success" : "text-muted-foreground"} />
          <span className="hidden sm:inline">{claims ? (claims.sub ?? "token set") : "Read-only"}</span>
        </Link>
      </Button>
      <Button variant="ghost" size="icon" aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`} title={`Theme: ${theme} (click for ${NEXT[theme]})`} onClick={() => setTheme(NEXT[theme])}>
        <ThemeIcon />
      </Button>
    </header>
  );
}
