/** Types of render.cjs (a classic script shared by the server and the browser). */
import type { PreviewCatalog } from '../catalog.js' with { 'resolution-mode': 'import' };

export type Route = { view: 'home' } | { view: 'course'; course: string } | { view: 'lesson'; course: string; lesson: string; file?: string };
export interface RenderedView {
  title: string;
  html: string;
}
export declare function escapeHtml(value: unknown): string;
export declare function parseRoute(hash: string): Route;
export declare function hrefCourse(course: string): string;
export declare function hrefLesson(course: string, lesson: string): string;
export declare function hrefFile(course: string, lesson: string, fileName: string): string;
export declare function assetId(fileName: string): string;
export declare function renderView(catalog: PreviewCatalog, route: Route): RenderedView;
export declare function renderSource(catalog: PreviewCatalog, state?: { offline?: boolean; checkedAt?: string }): string;
