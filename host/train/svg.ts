// SPDX-License-Identifier: Apache-2.0
// A small SVG writer (elements as strings, numbers rounded, text escaped) and PNG rendering of the
// result with @resvg/resvg-js.

import { Resvg } from "@resvg/resvg-js";

/** Escape text for SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A number with at most 2 decimals (keeps files small and deterministic). */
export function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Builds one SVG document. */
export class Svg {
  private readonly parts: string[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    background = "#ffffff",
  ) {
    this.parts.push(`<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="${background}"/>`);
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, opacity = 1): this {
    this.parts.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${stroke}" stroke-width="${num(width)}"${opacity < 1 ? ` stroke-opacity="${num(opacity)}"` : ""}/>`);
    return this;
  }

  circle(cx: number, cy: number, r: number, fill: string, opacity = 1, stroke?: string): this {
    this.parts.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${fill}"${opacity < 1 ? ` fill-opacity="${num(opacity)}"` : ""}${stroke === undefined ? "" : ` stroke="${stroke}" stroke-width="0.5"`}/>`);
    return this;
  }

  rect(x: number, y: number, w: number, h: number, fill: string, opacity = 1, stroke?: string): this {
    this.parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${fill}"${opacity < 1 ? ` fill-opacity="${num(opacity)}"` : ""}${stroke === undefined ? "" : ` stroke="${stroke}"`}/>`);
    return this;
  }

  text(x: number, y: number, content: string, size = 12, anchor: "start" | "middle" | "end" = "start", fill = "#222222", weight = "normal"): this {
    this.parts.push(`<text x="${num(x)}" y="${num(y)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${num(size)}" text-anchor="${anchor}" fill="${fill}" font-weight="${weight}">${escapeXml(content)}</text>`);
    return this;
  }

  /** The document text. */
  toString(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${num(this.width)}" height="${num(this.height)}" viewBox="0 0 ${num(this.width)} ${num(this.height)}">\n${this.parts.join("\n")}\n</svg>\n`;
  }
}

/** Render SVG text to PNG bytes (scaled by `zoom`, default 1). */
export function svgToPng(svg: string, zoom = 1): Uint8Array {
  const r = new Resvg(svg, { fitTo: { mode: "zoom", value: zoom }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return r.render().asPng();
}
