// Native ESM (node --experimental-vm-modules), no transform: orbitra/testing is an ES module.
export default {
  testEnvironment: "node",
  transform: {},
  testMatch: ["<rootDir>/**/*.test.js"],
  rootDir: ".",
};
