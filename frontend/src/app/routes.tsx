import { lazy } from "react";
import type { RouteObject } from "react-router";
import { NotFound, RouteError } from "@/components/error-boundary";
import { AppLayout } from "@/components/layout/app-layout";

// Every page is its own chunk: the heavy ones (React Flow, Mermaid, Recharts, CodeMirror)
// load only when their page is opened.
const DashboardPage = lazy(() => import("@/app/routes/dashboard"));
const ContractsPage = lazy(() => import("@/app/routes/contracts"));
const ContractPage = lazy(() => import("@/app/routes/contract"));
const ContractByNamePage = lazy(() => import("@/app/routes/contract-by-name"));
const NewContractPage = lazy(() => import("@/app/routes/contract-new"));
const EditContractPage = lazy(() => import("@/app/routes/contract-edit"));
const DictionaryPage = lazy(() => import("@/app/routes/dictionary"));
const ErdPage = lazy(() => import("@/app/routes/erd"));
const CompliancePage = lazy(() => import("@/app/routes/compliance"));
const ProposalsPage = lazy(() => import("@/app/routes/proposals"));
const NotificationsPage = lazy(() => import("@/app/routes/notifications"));
const SettingsPage = lazy(() => import("@/app/routes/settings"));

const page = (path: string, element: React.ReactNode): RouteObject => ({ path, element, errorElement: <RouteError /> });

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <DashboardPage />, errorElement: <RouteError /> },
      page("contracts", <ContractsPage />),
      page("contracts/new", <NewContractPage />),
      page("contracts/name/:name", <ContractByNamePage />),
      page("contracts/:id", <ContractPage />),
      page("contracts/:id/edit", <EditContractPage />),
      page("dictionary", <DictionaryPage />),
      page("erd", <ErdPage />),
      page("compliance", <CompliancePage />),
      page("proposals", <ProposalsPage />),
      page("notifications", <NotificationsPage />),
      page("settings", <SettingsPage />),
      page("*", <NotFound />),
    ],
  },
];
