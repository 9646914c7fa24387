// Public surface of @workload-identity/klog.
export { createKlog, formatLine } from "./klog.js";
export type { Klog, KlogOptions, Severity } from "./klog.js";
