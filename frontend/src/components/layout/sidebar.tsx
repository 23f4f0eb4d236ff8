import { Activity, Bell, BookOpen, FileText, GitPullRequestArrow, LayoutDashboard, Network, Settings, type LucideIcon } from "lucide-react";
import { NavLink } from "react-router";
import { cn } from "@/lib/utils";

const NAV: { to: string; label: string; icon: LucideIcon; end?: boolean }[] = [
  { to: "/", label: "Dashboard", icon: LayoutDashboard, end: true },
  { to: "/contracts", label: "Contracts", icon: FileText },
  { to: "/dictionary", label: "Data dictionary", icon: BookOpen },
  { to: "/erd", label: "ERD", icon: Network },
  { to: "/compliance", label: "Compliance", icon: Activity },
  { to: "/proposals", label: "Proposals", icon: GitPullRequestArrow },
  { to: "/notifications", label: "Notifications", icon: Bell },
  { to: "/settings", label: "Settings", icon: Settings },
];

export function Sidebar() {
  return (
    <div className="flex h-full flex-col">
      <NavLink to="/" className="flex h-14 items-center gap-2 border-b px-5 font-semibold tracking-tight">
        <img src="/favicon.svg" alt="" className="size-6" />
        DataPact
      </NavLink>
      <nav className="flex-1 space-y-1 p-3">
        {NAV.map(({ to, label, icon: Icon, end }) => (
          <NavLink
            key={to}
            to={to}
            end={end}
            className={({ isActive }) =>
              cn(
                "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground",
                isActive && "bg-accent text-accent-foreground",
              )
            }
          >
            <Icon className="size-4" aria-hidden />
            {label}
          </NavLink>
        ))}
      </nav>
      <p className="border-t px-5 py-3 text-xs text-muted-foreground">Contract-driven data governance</p>
    </div>
  );
}
