/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv } from "vite";
import { proxyTable, serviceTargets } from "./proxy.config";

export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), ""), ...process.env };
  const proxy = proxyTable(serviceTargets(env));
  return {
    plugins: [react(), tailwindcss()],
    resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
    server: { port: 3000, strictPort: true, proxy },
    preview: { port: 3000, strictPort: true, proxy },
    build: { sourcemap: false, manifest: true, chunkSizeWarningLimit: 1500 },
    test: {
      environment: "jsdom",
      globals: true,
      setupFiles: ["./src/test/setup.ts"],
      include: ["src/**/*.test.{ts,tsx}"],
      css: false,
      // The editor tests type into CodeMirror and a large form: 15 s ran out beside the Python
      // suites on a 2-core machine, and the timed-out test's typing leaked into the next test.
      testTimeout: 60000,
    },
  };
});
