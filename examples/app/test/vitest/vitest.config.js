import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/vitest/**/*.test.js"],
    // One vault for the whole run, started once; each worker file reaches it through `inject`.
    globalSetup: ["test/vitest/global-setup.js"],
    // Workers run files in parallel against the one vault: names per file cannot collide.
    pool: "threads",
  },
});
