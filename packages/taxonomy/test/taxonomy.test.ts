import t from 'tap';
import {
  getOccupation,
  getOccupationGroup,
  getSkill,
  getSkillFamily,
  isOccupationCode,
  isSkillCode,
  majorGroups,
  occupationCodeSchema,
  occupationGroup,
  occupationGroups,
  occupationMajor,
  occupations,
  occupationsInGroup,
  searchOccupations,
  searchSkills,
  skillCodeSchema,
  skillCodesSchema,
  skillFamilies,
  skillFamily,
  skills,
} from '../src/index.ts';

t.test('sizes the issue asks for', async (t) => {
  t.ok(occupations.length >= 150, `${occupations.length} occupations`);
  t.ok(skills.length >= 300, `${skills.length} skills`);
  t.same(majorGroups.map((g) => g.code), ['1', '2', '3', '4', '5', '6', '7', '8']);
});

t.test('codes are well formed and unique', async (t) => {
  t.same(occupations.filter((o) => !/^[1-8]-\d{2}-\d{2}$/.test(o.code)), [], 'occupation codes well formed');
  t.same(skills.filter((s) => !/^S\d{3}-\d{2}$/.test(s.code)), [], 'skill codes well formed');
  t.equal(new Set(occupations.map((o) => o.code)).size, occupations.length, 'occupation codes unique');
  t.equal(new Set(skills.map((s) => s.code)).size, skills.length, 'skill codes unique');
  t.equal(new Set(occupations.map((o) => o.nameZh)).size, occupations.length, 'occupation names unique');
  t.equal(new Set(skills.map((s) => s.nameZh)).size, skills.length, 'skill names unique');
});

t.test('every occupation sits in a named group and asks for known, distinct skills', async (t) => {
  const problems: string[] = [];
  for (const o of occupations) {
    if (!getOccupationGroup(occupationGroup(o.code))) problems.push(`${o.code}: no group`);
    if (!getOccupationGroup(occupationMajor(o.code))) problems.push(`${o.code}: no major group`);
    if (o.skills.length === 0) problems.push(`${o.code}: no skills`);
    if (new Set(o.skills).size !== o.skills.length) problems.push(`${o.code}: repeated skills`);
    for (const s of o.skills) if (!isSkillCode(s)) problems.push(`${o.code}: unknown skill ${s}`);
    if (!o.nameZh || !o.nameEn) problems.push(`${o.code}: a name is missing`);
  }
  for (const g of occupationGroups) if (occupationsInGroup(g.code).length === 0) problems.push(`group ${g.code} is empty`);
  for (const s of skills) if (!getSkillFamily(skillFamily(s.code))) problems.push(`${s.code}: no family`);
  for (const f of skillFamilies) if (!skills.some((s) => skillFamily(s.code) === f.code)) problems.push(`family ${f.code} is empty`);
  t.same(problems, []);
});

t.test('the re-employment areas of the issue are covered', async (t) => {
  const areas = ['营业员', '收银员', '中式烹调师', '保洁员', '保安员', '物业管理员', '家政服务员', '养老护理员', '快递员', '货车司机', '电焊工', '电工', '文员', '社区公益性岗位综合服务员'];
  for (const name of areas) t.ok(occupations.some((o) => o.nameZh === name), name);
});

t.test('lookups and hierarchy helpers', async (t) => {
  t.equal(getOccupation('4-07-01')?.nameZh, '保安员');
  t.equal(getOccupation('4-99-99'), undefined);
  t.equal(getSkill('S002-01')?.nameEn, 'Cash register operation');
  t.equal(occupationGroup('4-03-01'), '4-03');
  t.equal(occupationMajor('4-03-01'), '4');
  t.equal(skillFamily('S012-03'), 'S012');
  t.ok(isOccupationCode('4-03-01'));
  t.notOk(isOccupationCode('4-03-1'));
  t.notOk(isOccupationCode('9-01-01'));
  t.notOk(isOccupationCode(42));
  t.notOk(isSkillCode('S999-99'));
  t.ok(occupationsInGroup('4-03').every((o) => o.code.startsWith('4-03-')));
});

t.test('search by simplified, traditional, English, alias and code', async (t) => {
  t.equal(searchOccupations('保安员')[0]?.code, '4-07-01', 'exact simplified name first');
  t.equal(searchOccupations('保安員')[0]?.code, '4-07-01', 'traditional');
  t.equal(searchOccupations('SECURITY GUARD')[0]?.code, '4-07-01', 'English, case-insensitive');
  t.equal(searchOccupations('ｓｅｃｕｒｉｔｙ ｇｕａｒｄ')[0]?.code, '4-07-01', 'full-width folded');
  t.ok(searchOccupations('月嫂').some((o) => o.code === '4-10-03'), 'alias');
  t.ok(searchOccupations('4-03').every((o) => o.code.startsWith('4-03')), 'code prefix');
  t.ok(searchOccupations('cook').length >= 3);
  t.same(searchOccupations('no such job zzz'), []);
  t.equal(searchOccupations('').length, occupations.length, 'empty query lists all');
  t.equal(searchSkills('叉车驾驶')[0]?.code, 'S018-05');
  t.ok(searchSkills('forklift').some((s) => s.code === 'S018-12'));
  t.ok(searchSkills('電焊').some((s) => s.code === 'S021-01'), 'traditional skill');
  t.ok(searchOccupations('洗車工').some((o) => o.code === '4-12-02'), 'traditional alias');
  t.equal(searchOccupations('门卫')[0]?.code, searchOccupations('門衛')[0]?.code, 'an alias in either script');
});

t.test('zod helpers reject malformed and unknown codes with clear messages', async (t) => {
  t.equal(occupationCodeSchema.parse('4-03-01'), '4-03-01');
  const malformed = occupationCodeSchema.safeParse('4031');
  t.notOk(malformed.success);
  t.match(malformed.error?.issues[0]?.message, /must look like/);
  const unknown = occupationCodeSchema.safeParse('4-03-99');
  t.notOk(unknown.success);
  t.match(unknown.error?.issues[0]?.message, /unknown occupation code/);
  t.match(skillCodeSchema.safeParse('S999-01').error?.issues[0]?.message, /unknown skill code/);
  t.ok(skillCodesSchema.safeParse(['S001-01', 'S001-02']).success);
  t.notOk(skillCodesSchema.safeParse(['S001-01', 'S001-01']).success, 'repeats refused');
  const partlyUnknown = skillCodesSchema.safeParse(['S001-01', 'S999-01']);
  t.same(partlyUnknown.error?.issues[0]?.path, [1], 'the failing element is named');
});
