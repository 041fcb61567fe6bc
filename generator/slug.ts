/** Heading anchors as the site makes them: github-slugger with one trailing "-" dropped (Astro's rehypeHeadingIds). */
import { slug } from 'github-slugger';

export function slugify(text: string): string {
  return slug(text.trim()).replace(/-$/, '');
}
