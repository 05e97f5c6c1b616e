import type { CommunityType } from '@reemploy/domain';

export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community';
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'district', 'street', 'community'];

/** What a division is, read from its official name (GB/T 2260 naming). */
export function districtKind(name: string): 'urban-district' | 'county-city' | 'county' | 'zone' {
  if (/(园区|开发区|新区|高新区|管委会)$/.test(name)) return 'zone';
  if (name.endsWith('市')) return 'county-city';
  if (name.endsWith('县') || name.endsWith('旗')) return 'county';
  return 'urban-district';
}

export function streetKind(name: string): 'street' | 'town' {
  return /(镇|乡)$/.test(name) ? 'town' : 'street';
}

export function communityKind(name: string): 'residents' | 'village' {
  return /村(民)?委员?会$|村委会$/.test(name) ? 'village' : 'residents';
}

/**
 * The default assessment type of a community: a village committee is a
 * village, a community under a town is a town; under a street it is the old
 * city in an urban district and the new city in a county-level city or a
 * development zone. Officers override it where local knowledge differs.
 */
export function deriveCommunityType(community: string, street: string, district: string): CommunityType {
  if (communityKind(community) === 'village') return 'village';
  if (streetKind(street) === 'town') return 'town';
  return districtKind(district) === 'urban-district' ? 'old-city' : 'new-city';
}
