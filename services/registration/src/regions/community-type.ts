import type { CommunityType } from '@reemploy/domain';

export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community';
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'district', 'street', 'community'];

/** What a district is, read from its official name (GB/T 2260 naming; its code digits 5–6 are not reliable in autonomous prefectures). */
export function districtKind(name: string): 'urban-district' | 'county-city' | 'county' | 'zone' {
  if (/(园区|开发区|新区|高新区|管委会)$/.test(name)) return 'zone';
  if (name.endsWith('市')) return 'county-city';
  if (name.endsWith('县') || name.endsWith('旗')) return 'county';
  return 'urban-district';
}

export type StreetKind = 'street' | 'town' | 'township' | 'zone';
export type CommunityKind = 'residents' | 'village';

/**
 * What a street-level unit is, from digits 7–9 of its statistical division code (统计用区划代码
 * 编制规则): 001–099 街道, 100–199 镇, 200–399 乡, 400–599 units like them (development zones,
 * farms, scenic areas). The code is the class the statistics bureau assigns; names are not
 * always telling (南磨房地区, 浒墅关经开区（镇）, 科技城（东渚街道）).
 */
export function streetKind(code: string): StreetKind {
  const n = Number(code.slice(6, 9));
  return n < 100 ? 'street' : n < 200 ? 'town' : n < 400 ? 'township' : 'zone';
}

/**
 * What a community-level unit is, from digits 10–12: 001–199 居民委员会 and 400–499 units like
 * them (virtual communities of development zones) are residents' committees; 200–399 村民委员会
 * and 500–599 units like them (farm living quarters) are villages.
 */
export function communityKind(code: string): CommunityKind {
  const n = Number(code.slice(9, 12));
  return (n >= 200 && n < 400) || n >= 500 ? 'village' : 'residents';
}

/**
 * The default assessment type of a community (the report's 老城区, 新城区, 小城镇, and villages):
 * a village committee is a village; a residents' committee under a town or township is a town;
 * under a street or a zone it is the old city in the historic core (the districts configured as
 * OLD_CITY_DISTRICTS, for Suzhou 姑苏区) and the new city elsewhere: the other urban districts,
 * the development zones and the street communities of county-level cities and counties, which
 * are urban too. Officers override it where local knowledge differs.
 */
export function deriveCommunityType(code: string, oldCityDistricts: ReadonlySet<string>): CommunityType {
  if (communityKind(code) === 'village') return 'village';
  const street = streetKind(code);
  if (street === 'town' || street === 'township') return 'town';
  return oldCityDistricts.has(code.slice(0, 6)) ? 'old-city' : 'new-city';
}
