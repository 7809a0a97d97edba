export interface ScreenOptions { readonly batch: number }
export interface ScreenRow { readonly index: number }
export interface ScreenResult { readonly rows: readonly ScreenRow[] }
export function screen(): void {}
