import { FileCode2, ListChecks, Save } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ApiError, type ApiIssue } from "@/lib/api-error";
import { useDebouncedValue } from "@/lib/use-debounced-value";
import { useUrlState } from "@/lib/use-url-state";
import type { ContractDocument } from "@/types/api";
import { usePreviewContractDiff } from "../../api/preview-contract-diff";
import { useValidateContract } from "../../api/validate-contract";
import { cleanDocument } from "../../lib/document-edit";
import { placeIssues } from "../../lib/issues";
import { parseYaml, toYaml, YamlSyntaxError } from "../../lib/yaml";
import { lineOf } from "../../lib/yaml-locate";
import { ChangePreview } from "./change-preview";
import { ContractForm } from "./contract-form";
import { IssueContext } from "./issue-context";
import { IssueSummary } from "./issue-summary";
import { YamlView } from "./yaml-view";

const DEBOUNCE_MS = 400;

export interface ContractEditorProps {
  initial: ContractDocument;
  /** set when editing a saved contract: enables the change classification */
  contractId?: string;
  savedVersion?: string;
  saving: boolean;
  onSave: (document: ContractDocument) => Promise<unknown>;
}

export function ContractEditor({ initial, contractId, savedVersion, saving, onSave }: ContractEditorProps) {
  const url = useUrlState();
  const view = url.get("view") === "yaml" ? "yaml" : "form";
  const [doc, setDoc] = useState<ContractDocument>(initial);
  const [yamlText, setYamlText] = useState(() => toYaml(initial));
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const [saveIssues, setSaveIssues] = useState<ApiIssue[] | null>(null);
  const [attempted, setAttempted] = useState(Boolean(contractId));
  const [dirty, setDirty] = useState(false);

  const cleaned = useMemo(() => cleanDocument(doc), [doc]);
  const debounced = useDebouncedValue(cleaned, DEBOUNCE_MS);
  const validation = useValidateContract(attempted ? debounced : null);
  const preview = usePreviewContractDiff(contractId ?? "", contractId ? debounced : null);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const changeDoc = useCallback((next: ContractDocument) => {
    setDoc(next);
    setDirty(true);
    setSaveIssues(null);
  }, []);

  const changeYaml = (text: string) => {
    setYamlText(text);
    try {
      changeDoc(parseYaml(text));
      setSyntaxError(null);
    } catch (error) {
      setSyntaxError(error instanceof YamlSyntaxError ? `${error.message}${error.line ? ` (line ${error.line})` : ""}` : String(error));
    }
  };

  const switchView = (next: string) => {
    if (next === view) return;
    if (next === "form" && syntaxError) {
      toast.error("Fix the YAML first", { description: "The form shows the document once the YAML parses." });
      return;
    }
    if (next === "yaml") {
      setYamlText(toYaml(doc));
      setSyntaxError(null);
    }
    url.set({ view: next === "yaml" ? "yaml" : undefined }, { replace: true, keepPage: true });
  };

  const liveIssues = validation.data?.errors ?? [];
  const errors = placeIssues(saveIssues ?? (attempted ? liveIssues : []), doc);
  const warnings = attempted ? placeIssues(validation.data?.warnings ?? [], doc) : [];
  const issueLine = useCallback((loc: string) => lineOf(yamlText, loc), [yamlText]);

  const save = async () => {
    if (syntaxError) {
      toast.error("The YAML does not parse", { description: syntaxError });
      return;
    }
    setAttempted(true);
    try {
      await onSave(cleaned);
      setDirty(false);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) setSaveIssues(error.errors);
    }
  };

  return (
    <IssueContext.Provider value={errors}>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Tabs value={view} onValueChange={switchView}>
            <TabsList aria-label="Editor">
              <TabsTrigger value="form">
                <ListChecks /> Form
              </TabsTrigger>
              <TabsTrigger value="yaml">
                <FileCode2 /> YAML
              </TabsTrigger>
            </TabsList>
          </Tabs>
          {view === "form" ? <ContractForm doc={doc} onChange={changeDoc} isEdit={Boolean(contractId)} /> : <YamlView text={yamlText} onChange={changeYaml} syntaxError={syntaxError} />}
        </div>
        <aside className="space-y-4 xl:sticky xl:top-20 xl:max-h-[calc(100vh-6rem)] xl:self-start xl:overflow-y-auto" aria-label="Save and checks">
          <Card>
            <CardContent className="space-y-3">
              <Button className="w-full" onClick={() => void save()} disabled={saving} data-testid="save-contract">
                <Save /> {saving ? "Saving…" : contractId ? "Save new version" : "Create contract"}
              </Button>
              <p className="text-xs text-muted-foreground">
                {contractId ? `Saved version: ${savedVersion}. Every saved edit must raise the version as the changes require.` : "Writing needs an API token with contracts:write (Settings)."}
              </p>
            </CardContent>
          </Card>
          <IssueSummary title={`${errors.length} problem${errors.length === 1 ? "" : "s"} to fix`} issues={errors} tone="error" lineOf={view === "yaml" ? issueLine : undefined} />
          {contractId && (
            <ChangePreview
              report={preview.data}
              error={preview.error}
              loading={preview.isFetching}
              stale={preview.isPlaceholderData || preview.isFetching}
              currentVersion={savedVersion ?? doc.version}
              onUseVersion={(version) => {
                changeDoc({ ...doc, version });
                if (view === "yaml") setYamlText(toYaml({ ...doc, version }));
              }}
            />
          )}
          <IssueSummary title="Worth a look" issues={warnings} tone="warning" lineOf={view === "yaml" ? issueLine : undefined} />
        </aside>
      </div>
    </IssueContext.Provider>
  );
}
