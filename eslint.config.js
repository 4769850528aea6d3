// ESLint for the page's scripts (static/js, plain ES modules in the browser) and their unit tests (tests/js, run by
// Node's own test runner): the recommended rules, and a few that keep the modules' state explicit.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser, CodeMirror: "readonly" } },
  },
  {
    files: ["static/js/layout-worker.js", "static/js/docs.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.worker, ...globals.browser, Viz: "readonly", SwaggerUIBundle: "readonly" } },
  },
  { files: ["tests/js/**/*.js", "eslint.config.js"], languageOptions: { sourceType: "module", globals: globals.node } },
  {
    rules: {
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
    },
  },
];
