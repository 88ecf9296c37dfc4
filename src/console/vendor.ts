/**
 * Browser libraries the console and the API reference load, copied from node_modules and served
 * under /console/vendor/ (read from disk on Node, bundled into the static assets for Workers): no CDN.
 */
export const VENDOR_FILES: { pkg: string; file: string; as: string }[] = [
  { pkg: 'uplot', file: 'dist/uPlot.iife.min.js', as: 'vendor/uPlot.iife.min.js' },
  { pkg: 'uplot', file: 'dist/uPlot.min.css', as: 'vendor/uPlot.min.css' },
  { pkg: 'swagger-ui-dist', file: 'swagger-ui-bundle.js', as: 'vendor/swagger-ui-bundle.js' },
  { pkg: 'swagger-ui-dist', file: 'swagger-ui.css', as: 'vendor/swagger-ui.css' },
];

/** Whole folders of ES modules (the console imports `vendor/yaml/index.js`, which imports its siblings). */
export const VENDOR_DIRS: { pkg: string; dir: string; as: string }[] = [{ pkg: 'yaml', dir: 'browser/dist', as: 'vendor/yaml' }];
