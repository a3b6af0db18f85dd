// /robots.txt
import type { APIRoute } from 'astro';
import { originFrom } from '../lib/catalog.ts';
import { robotsTxt } from '../lib/sitemap.ts';

export const GET: APIRoute = ({ locals }) =>
  new Response(robotsTxt(originFrom(locals)), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
