// ESLint (flat config): typescript-eslint, the rules of hooks, and import boundaries after
// bulletproof-react. `npm run lint` (part of `make lint`) allows no warning.
import { readdirSync } from "node:fs";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig } from "eslint/config";
import globals from "globals";
import { configs as tsConfigs } from "typescript-eslint";

const root = import.meta.dirname;
// every folder of src/features is a feature: a new one is fenced in without editing this file
const features = readdirSync(`${root}/src/features`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const boundaries = [
  // a feature never imports another: what two features share moves to shared code, or the
  // route composes them
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: "./src/features",
    except: [`./${feature}`],
    message: "features never import each other: move the shared part to src/components, src/lib or src/types, or compose both in the route",
  })),
  // one direction: app → features → shared
  { target: "./src/features", from: "./src/app", message: "features never import the app: the app (routes) imports features" },
  {
    target: ["./src/components", "./src/lib", "./src/types"],
    from: ["./src/features", "./src/app"],
    message: "shared code never imports features or the app",
  },
];

export default defineConfig([
  { ignores: ["dist/", "test-results/", "src/types/openapi/"] },
  js.configs.recommended,
  tsConfigs.recommendedTypeChecked,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: `${root}/tsconfig.app.json` })],
    },
    rules: {
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": ["error", { basePath: root, zones: boundaries }],
      "import-x/no-duplicates": "error",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: { "react-hooks/exhaustive-deps": "error" },
  },
  {
    // query keys come from each feature's key factory (api/keys.ts), so an invalidation
    // names the same key as the query it means
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/features/*/api/keys.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "Property[key.name='queryKey'] > ArrayExpression", message: "take the query key from the feature's api/keys.ts" },
        { selector: "CallExpression[callee.property.name=/QueryData$/] > ArrayExpression", message: "take the query key from the feature's api/keys.ts" },
      ],
    },
  },
  {
    files: ["*.{js,ts}", "e2e/**", "scripts/**"],
    languageOptions: { globals: globals.node },
  },
  {
    // the browser tests hand callbacks to page.evaluate/waitForFunction: they run in the page
    files: ["e2e/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // plain JavaScript has no types to check
    files: ["**/*.{js,mjs}"],
    extends: [tsConfigs.disableTypeChecked],
  },
]);
