import { describe, expect, it } from 'vitest';
import { makePager, parsePage } from '../../site/src/lib/pagination.ts';

describe('parsePage', () => {
  it('reads absent as 1 and positive whole numbers as themselves', () => {
    expect(parsePage(null)).toBe(1);
    expect(parsePage('1')).toBe(1);
    expect(parsePage('100')).toBe(100);
  });

  it('refuses anything else', () => {
    for (const raw of ['0', '-1', '1.5', 'x', '', ' 2', '01', '99999999', '1e3'])
      expect(parsePage(raw), raw).toBeNull();
  });
});

describe('makePager', () => {
  const href = (n: number) => `/p?page=${n}`;

  it('links previous and next pages and reports the range shown', () => {
    expect(makePager(250, 2, 100, href)).toEqual({
      page: 2,
      pages: 3,
      perPage: 100,
      total: 250,
      offset: 100,
      from: 101,
      to: 200,
      prevHref: '/p?page=1',
      nextHref: '/p?page=3',
    });
    const last = makePager(250, 3, 100, href)!;
    expect([last.from, last.to, last.nextHref, last.prevHref]).toEqual([201, 250, null, '/p?page=2']);
  });

  it('has an empty first page and no page past the last', () => {
    expect(makePager(0, 1, 100, href)).toMatchObject({
      pages: 1,
      from: 0,
      to: 0,
      prevHref: null,
      nextHref: null,
    });
    expect(makePager(0, 2, 100, href)).toBeNull();
    expect(makePager(200, 3, 100, href)).toBeNull();
  });
});
