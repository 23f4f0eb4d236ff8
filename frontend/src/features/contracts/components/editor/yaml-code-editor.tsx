import { yaml } from "@codemirror/lang-yaml";
import CodeMirror, { EditorView } from "@uiw/react-codemirror";
import { useTheme } from "@/lib/theme";

const extensions = [yaml(), EditorView.lineWrapping];

/** CodeMirror with YAML highlighting (its own chunk: loaded when the YAML view opens). */
export default function YamlCodeEditor({ value, onChange, ariaLabel }: { value: string; onChange: (value: string) => void; ariaLabel: string }) {
  const { resolved } = useTheme();
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      theme={resolved}
      minHeight="28rem"
      maxHeight="70vh"
      basicSetup={{ foldGutter: true, highlightActiveLine: true }}
      aria-label={ariaLabel}
      data-testid="yaml-editor"
      className="overflow-hidden rounded-lg border text-sm"
    />
  );
}
