/**
 * The image pipeline (README "Images"): every image URL of a data context is fetched once at context creation with
 * SSRF protection, size and pixel caps, re-encoded to fixed variants and stored content-addressed in the CDN bucket,
 * so devices only ever load what this package produced. Raster formats are decoded by ImageIO; SVG is drawn by
 * {@link io.pushcore.send.images.SvgRasterizer}, which fetches nothing an SVG references and bounds its cost.
 */
package io.pushcore.send.images;
