/** Share links: the codec, its limits and the view they carry. */
export { LINK_VERSION, MAX_LINK_CHARS, MAX_PAYLOAD_BYTES, decodeShareLink, encodeShareLink, looksLikeShareLink, type DecodeResult, type EncodeResult, type LinkError, type LinkErrorKind, type SharedView } from './link.ts';
export { DEFAULT_LINK_VIEW, LINK_TABS, SHARED_SCENARIO_ID, type LinkView } from './view.ts';
