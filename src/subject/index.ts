/**
 * The subject under test: the capability catalogue, the built-in reference subject, capability lookup and
 * validation, and opening a subject from a TypeScript module or a command (the plug-in protocol, ci/PROTOCOL.md).
 */
export { CATALOGUE, CAPABILITY_NAMES, FEDERATED_RUN_CAPABILITIES, capabilityInfo, suggestName, unknownCapabilities } from './catalogue.ts';
export type { CapabilityInfo, CapabilityShape } from './catalogue.ts';
export { builtinSubject } from './builtin.ts';
export { capability, validateSubject } from './lookup.ts';
export { REPO_ROOT } from './root.ts';
export { openSubject, shellQuote, DEFAULT_CALL_TIMEOUT_MS } from './open.ts';
export type { SubjectSource, OpenOptions, OpenedSubject } from './open.ts';
export { protocolSubject, MAX_OPEN_HANDLES } from './protocol/client.ts';
export type { Hello, ClientOptions, ProtocolSubject } from './protocol/client.ts';
export { subjectServer } from './protocol/server.ts';
export type { ServeOptions, Request, Response } from './protocol/server.ts';
export { PROTOCOL, plain, encodeFederated, decodeFederated, encodeAsync, decodeAsync, encodeTrace, traceFromJson, describeModel, modelFromDescriptor } from './protocol/codec.ts';
export { processChannel, moduleChannel, sanitize } from './channel/channels.ts';
export type { Channel, Reply, ChannelFailure } from './channel/channels.ts';
export { gateDraws, withDraws, withGateDraws } from './draws.ts';
export { serveStdio } from './serve.ts';
