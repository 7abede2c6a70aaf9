import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Every deliberate throw is an OrbitraError with a stable code (src/core/errors.ts).
    files: ["src/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name=/^(Error|RangeError|TypeError)$/]",
          message: "Throw an OrbitraError subclass from src/core/errors.ts (it carries a stable code), not a bare Error/RangeError/TypeError.",
        },
      ],
    },
  },
  {
    files: ["test/**", "bench/**"],
    rules: { "no-console": "off" },
  },
);
