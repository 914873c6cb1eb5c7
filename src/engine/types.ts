/**
 * Addresses of different spaces are different types, so an IOVA can never be
 * passed where a PA is expected without saying so (excalidraw brands its
 * coordinate spaces the same way).
 */
export type Iova = bigint & { readonly __space: 'IOVA' };
export type Ipa = bigint & { readonly __space: 'IPA' };
export type Pa = bigint & { readonly __space: 'PA' };

export const asIova = (v: bigint): Iova => v as Iova;
export const asIpa = (v: bigint): Ipa => v as Ipa;
export const asPa = (v: bigint): Pa => v as Pa;
