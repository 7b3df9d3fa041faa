import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The test files share each worker's modules instead of importing Fastify, zod and the app again
    // for each file: that import was a third of the run. So a test leaves no global state behind and
    // mocks no module (`vi.mock` cannot replace one an earlier file imported): it passes values in.
    isolate: false,
    // The floor applies to `npm test` (which passes --coverage) and CI, not to a single file run.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/main.ts", "src/token.ts", "src/migrate.ts", "src/init-env.ts"],
      thresholds: { lines: 85, functions: 85, branches: 75, statements: 85 },
    },
  },
});
