import { makeCreditCode } from '@reemploy/domain/credit-code';
import { chineseName, mobilePhone } from './people.ts';
import { Random } from './random.ts';
import { SUZHOU_DISTRICTS, type Community } from './regions.ts';
import { SECTOR_WEIGHTS, type Sector } from './sectors.ts';

/** The employer registration body (SPEC §7). */
export interface EmployerRegistration {
  name: string;
  creditCode: string;
  communityCode: string;
  contactName: string;
  contactPhone: string;
}

export interface DemoEmployer {
  key: string;
  index: number;
  sector: Sector;
  /** A street's community service centre: the employer of that street's public-welfare posts. */
  publicWelfare: boolean;
  registration: EmployerRegistration;
}

const BRAND = ['金阳', '恒通', '新兴', '天和', '永盛', '华晖', '嘉禾', '瑞丰', '东吴', '姑苏', '沧浪', '平江', '汇众', '银河', '同创', '久隆', '众信', '百盛', '安居', '润泽'];
const SUFFIX: Record<string, string> = {
  retail: '商贸有限公司', catering: '餐饮管理有限公司', logistics: '物流有限公司', environment: '环境服务有限公司', property: '物业管理有限公司',
  care: '家政服务有限公司', manufacturing: '制造有限公司', construction: '建设工程有限公司', repair: '机电维修有限公司', office: '企业管理咨询有限公司',
  professional: '科技有限公司', agriculture: '农业发展有限公司',
};

/** GB 11714 organisation code: eight digits and a MOD 11 check character (part of the credit code). */
function organisationCode(rng: Random): string {
  const body = String(rng.int(0, 99_999_999)).padStart(8, '0');
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * weights[i]!;
  const c = 11 - (sum % 11);
  return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/**
 * Employer number `index`. The first `streets.length` employers are the streets'
 * community service centres (public institutions, credit code 12...), which employ the
 * public-welfare posts; the others are companies (91...) of a sector.
 */
export function generateEmployer(
  seed: string | number,
  index: number,
  communities: readonly Community[],
  streets: readonly { code: string; communities: Community[] }[],
): DemoEmployer {
  const rng = Random.stream(seed, 'employer', index);
  const key = rng.uuid(index);
  const contactGender = rng.chance(0.5) ? 'male' : 'female';
  if (index < streets.length) {
    const street = streets[index]!;
    const community = street.communities[0]!;
    const district = SUZHOU_DISTRICTS[community.districtCode] ?? '';
    const environment = SECTOR_WEIGHTS.find(([s]) => s.key === 'environment')?.[0] ?? SECTOR_WEIGHTS[0]![0];
    return {
      key, index, sector: environment, publicWelfare: true,
      registration: {
        name: `苏州市${district}${street.code.slice(6)}街道社区服务中心`,
        creditCode: makeCreditCode('12' + community.districtCode + organisationCode(rng)),
        communityCode: community.code,
        contactName: chineseName(rng, contactGender),
        contactPhone: mobilePhone(rng),
      },
    };
  }
  const sector = rng.weighted(SECTOR_WEIGHTS);
  const community = rng.pick(communities);
  const district = SUZHOU_DISTRICTS[community.districtCode] ?? '';
  return {
    key, index, sector, publicWelfare: false,
    registration: {
      name: `苏州${district.replace(/[区市]$/, '')}${rng.pick(BRAND)}${SUFFIX[sector.key] ?? '有限公司'}（${String(index).padStart(5, '0')}）`,
      creditCode: makeCreditCode('91' + community.districtCode + organisationCode(rng)),
      communityCode: community.code,
      contactName: chineseName(rng, contactGender),
      contactPhone: mobilePhone(rng),
    },
  };
}
