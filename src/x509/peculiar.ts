// @peculiar/x509 2 finds its ASN.1 providers through tsyringe, which needs the Reflect metadata
// API installed first (version 1 imported the polyfill itself; 2 leaves it to the application).
// Every use of the library goes through this module so that the order is right wherever it loads.
import "reflect-metadata";

export * from "@peculiar/x509";
