/**
 * The subject under test: the capability catalogue, the built-in reference subject, capability lookup and
 * validation, and opening a subject from a TypeScript module or a command (the plug-in protocol, ci/PROTOCOL.md).
 */
export { CATALOGUE, CAPABILITY_NAMES, FEDERATED_RUN_CAPABILITIES, capabilityInfo, suggestName, unknownCapabilities } from './catalogue.ts';
export type { CapabilityInfo, CapabilityShape } from './catalogue.ts';
export { builtinSubject } from './builtin.ts';
export { capability, validateSubject } from './lookup.ts';
export { REPO_ROOT } from './root.ts';
