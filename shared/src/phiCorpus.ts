/**
 * Labelled corpus for the PHI detector (phi.ts): case-report snippets (主诉, 现病史, 既往史, 检查,
 * 诊断, 治疗 …) each with the findings it must give — kind and exact substring. Test data only:
 * index.ts does not export it, so it never reaches the mini-program bundle.
 *
 * ID numbers are made here with a correct check character (idCheckCharacter); their look-alikes
 * change only that character. Names, phones and addresses are invented.
 * `lookalike` marks everyday clinical text that must give no finding at all.
 */
import { idCheckCharacter, type PhiFieldKind, type PhiKind } from './phi.js';

export interface PhiExpectation {
  kind: PhiKind;
  /** The exact substring; `nth` picks a later occurrence (0-based). */
  text: string;
  nth?: number;
}

export interface PhiCorpusCase {
  id: string;
  text: string;
  fieldKind?: PhiFieldKind;
  label?: string;
  expect: PhiExpectation[];
  lookalike?: boolean;
}

export function makeIdNumber(area: string, birth: string, seq: string): string {
  const body = area + birth + seq;
  return body + idCheckCharacter(body);
}

/** The first sequence number whose check character is X, to be sure the corpus has some. */
function makeIdNumberEndingInX(area: string, birth: string): string {
  for (let n = 1; n < 1000; n++) {
    const id = makeIdNumber(area, birth, String(n).padStart(3, '0'));
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character for ' + area + birth);
}

/** The same number with a wrong check character. */
export function withWrongCheck(id: string): string {
  const c = id[17]!;
  return id.slice(0, 17) + (c === 'X' ? '3' : c === '9' ? 'X' : String(Number(c) + 1));
}

const ID_SEEDS: [string, string, string][] = [
  ['110105', '19491231', '002'], ['310104', '19560812', '215'], ['440305', '19780921', '031'], ['320102', '19800315', '123'],
  ['330106', '19620430', '048'], ['510107', '19710107', '256'], ['420106', '19581123', '317'], ['370202', '19450609', '084'],
  ['210102', '19660225', '162'], ['610113', '19830718', '435'], ['500103', '19520229', '019'], ['120101', '19690514', '273'],
  ['430104', '19900101', '508'], ['350203', '19741030', '066'], ['230103', '19570817', '391'], ['410105', '19880608', '127'],
  ['130102', '19610312', '044'], ['140105', '19750926', '352'], ['150102', '19540403', '215'], ['220102', '19680119', '078'],
  ['340104', '19850227', '461'], ['360102', '19591205', '233'], ['450103', '19721111', '019'], ['460106', '19930716', '582'],
  ['520102', '19640908', '147'], ['530102', '19470522', '206'], ['620102', '19810130', '375'], ['640104', '20150604', '021'],
  ['650102', '19631018', '094'], ['370102', '19380211', '126'],
];
const IDS = ID_SEEDS.map(([a, b, s]) => makeIdNumber(a, b, s));
IDS[5] = makeIdNumberEndingInX('510107', '19710107');
IDS[17] = makeIdNumberEndingInX('140105', '19750926');
const ID_WITH_X = makeIdNumberEndingInX('330106', '19620430');

const ID_TEMPLATES = [
  '患者身份证号：{}，因反复胸闷3年入院。',
  '既往史：高血压10年，规律服用氨氯地平 5 mg qd。身份证号{}。',
  '家属提供身份证{}用于医保结算，已核对。',
  '证件号码 {}，男，68岁，心血管内科住院。',
  '{}',
  '主诉：活动后气促2年。基本信息：{}，女，72岁。',
  '（身份证：{}）',
  '公民身份号码为{}，已签署知情同意书。',
  '病例资料中误填了{}，请核实后删除。',
  'ID:{}',
  '患者，男，59岁，{}，因“胸痛6小时”急诊入院。',
  '身份证 {} 冠脉造影示前降支近段狭窄90%。',
  '随访登记：{}；复查LDL-C 1.6 mmol/L。',
  '现病史：患者于3天前无明显诱因出现心悸（身份证{}），伴乏力。',
  '医保结算信息：{}/职工医保',
  '知情同意书签字人身份证号码：{}',
  '{}，2型糖尿病15年，HbA1c 8.1%。',
  '患儿监护人身份证{}，患儿5岁，诊断川崎病。',
  '转诊单缺失，仅提供身份证号{}。',
  '入组筛选：受试者身份证{}，符合纳入标准。',
  '诊断：1.冠心病 2.高血压3级（很高危）。证件：{}',
  '治疗：阿托伐他汀 20 mg qn，身份证号{}的患者需复查肝功能。',
  '检查：心脏超声 EF 35%，受检者{}。',
  '请核对：{} 与病案首页是否一致。',
  '家属（其子）身份证号 {}，联系地址不详。',
  '复诊记录：2024-05-10 复查，身份证{}，血压 135/85 mmHg。',
  'PCI术后1年，身份证号：{}，继续双抗治疗。',
  '身份信息{}脱敏失败，请重新提交。',
  '门诊病历摘要（{}）：慢性心力衰竭，NYHA II级。',
  '患者证件号{}，既往脑梗死病史。',
];
const ID_LOOKALIKE_TEMPLATES = [
  '标本条码{}已送检验科。',
  '检验流水号 {}，结果见附件。',
  '心电图设备序列号{}',
  '订单编号：{}',
  '影像存档编码 {}，CT示双肺散在磨玻璃影。',
  '试剂批号{}，有效期至2026-12-31。',
  '{}',
  '随机化编码{}进入研究组。',
  '耗材追溯码 {}（药物洗脱支架）',
  '远程会诊申请单 {} 已受理。',
];

const MOBILES = [
  '13812345678', '13912345612', '15012349876', '15867201134', '18611102233', '18923456781', '17712340987', '19912345670',
  '13301237788', '14755550123', '16612348899', '13511223344', '18844556677', '15399887766', '13766554433', '18255443322',
  '19134567890', '13088776655', '15155667788', '17355889900',
];
const spaced = (m: string, sep: string) => [m.slice(0, 3), m.slice(3, 7), m.slice(7)].join(sep);
const MOBILE_TEMPLATES = [
  '联系电话：{}', '家属电话 {}，随访时联系。', '患者手机{}，已告知复诊时间。', '随访：电话随访（{}），患者诉无胸闷。',
  '{}', '如有不适请联系{}（其女）。', '出院带药：美托洛尔缓释片 47.5 mg qd；联系方式 {}', '微信同号{}',
  '主诉：胸痛2小时。联系人电话:{}', '备注：患者手机号码为{}，请勿外传。', '患者女儿 {} 代诉病史。', '{}，张某，男，65岁',
  'Tel: {}', '电话{}，住址不详。', '紧急联系人手机：{}', '复诊预约已短信发送至{}。',
];

let n = 0;
const id = (prefix: string) => `${prefix}-${String(++n).padStart(3, '0')}`;
const positive = (text: string, expect: [PhiKind, string, number?][], extra: Partial<PhiCorpusCase> = {}): PhiCorpusCase => ({
  id: id(expect[0]?.[0] ?? 'mixed'),
  text,
  expect: expect.map(([kind, t, nth]) => ({ kind, text: t, nth })),
  ...extra,
});
const lookalike = (text: string, extra: Partial<PhiCorpusCase> = {}): PhiCorpusCase => ({ id: id('lookalike'), text, expect: [], lookalike: true, ...extra });
const fill = (template: string, value: string) => template.replace('{}', value);

export const PHI_CORPUS: PhiCorpusCase[] = [
  // ── ID numbers ──
  ...ID_TEMPLATES.map((t, i) => positive(fill(t, IDS[i]!), [['id_number', IDS[i]!]])),
  positive(`身份证号末位为小写x：${ID_WITH_X.toLowerCase()}`, [['id_number', ID_WITH_X.toLowerCase()]]),
  positive(`身份证号 ${IDS[0]!.slice(0, 6)} ${IDS[0]!.slice(6, 14)} ${IDS[0]!.slice(14)}`, [['id_number', `${IDS[0]!.slice(0, 6)} ${IDS[0]!.slice(6, 14)} ${IDS[0]!.slice(14)}`]]),
  positive(`证件号：${IDS[3]!.slice(0, 6)}-${IDS[3]!.slice(6, 14)}-${IDS[3]!.slice(14)}，已核实。`, [['id_number', `${IDS[3]!.slice(0, 6)}-${IDS[3]!.slice(6, 14)}-${IDS[3]!.slice(14)}`]]),
  positive('老身份证号110105491231002，1999年办理。', [['id_number', '110105491231002']]),
  positive('310104560812215，男，70岁。', [['id_number', '310104560812215']]),
  positive('旧证件 440305780921031 已换领。', [['id_number', '440305780921031']]),
  positive('患者提供15位身份证320102800315123。', [['id_number', '320102800315123']]),
  positive(`身份证号：${withWrongCheck(IDS[7]!)}（末位可能有误）`, [['id_number', withWrongCheck(IDS[7]!)]]),
  ...ID_LOOKALIKE_TEMPLATES.map((t, i) => lookalike(fill(t, withWrongCheck(IDS[i + 10]!)))),
  lookalike('样本号 110105199913450012，月份日期不成立。'),
  lookalike(`支付流水 1${IDS[20]!}`),
  lookalike(`设备编号 ${IDS[21]!.slice(0, 17)}`),

  // ── Mobile and landline numbers ──
  ...MOBILE_TEMPLATES.map((t, i) => positive(fill(t, MOBILES[i]!), [['mobile', MOBILES[i]!]])),
  positive(`+86 ${spaced(MOBILES[16]!, ' ')}`, [['mobile', `+86 ${spaced(MOBILES[16]!, ' ')}`]]),
  positive(`家属联系方式：0086-${MOBILES[17]!}`, [['mobile', `0086-${MOBILES[17]!}`]]),
  positive(`患者本人手机 +86${MOBILES[18]!}，白天可接听。`, [['mobile', `+86${MOBILES[18]!}`]]),
  positive(`手机号 ${spaced(MOBILES[19]!, '-')}，请随访。`, [['mobile', spaced(MOBILES[19]!, '-')]]),
  positive(`随访电话：${MOBILES[0]!}/${MOBILES[1]!}`, [['mobile', MOBILES[0]!], ['mobile', MOBILES[1]!]]),
  positive(`紧急联系人（其夫）${spaced(MOBILES[2]!, ' ')}`, [['mobile', spaced(MOBILES[2]!, ' ')]]),
  positive('家庭电话 010-62345678，患者独居。', [['landline', '010-62345678']]),
  positive('联系电话（0755）12345678', [['landline', '（0755）12345678']]),
  positive('座机 021 6123 4567，手机未提供。', [['landline', '021 6123 4567']]),
  positive('家属座机：0571-87654321', [['landline', '0571-87654321']]),
  positive('(020)83827812，晚间联系其子。', [['landline', '(020)83827812']]),
  positive('电话：62345678', [['landline', '62345678']]),
  positive('患者家中电话 0311-85678901，已电话随访。', [['landline', '0311-85678901']]),
  positive('随访固话 02887654321', [['landline', '02887654321']]),
  positive('请拨打 0591-8765432 联系家属。', [['landline', '0591-8765432']]),
  positive('家庭电话:(010)6512 3456', [['landline', '(010)6512 3456']]),
  positive('居委会转告电话 0755-2345 6789', [['landline', '0755-2345 6789']]),
  positive('联系电话 029-88886666 转 8001', [['landline', '029-88886666']]),
  positive('固话 0898-66778899（海口）', [['landline', '0898-66778899']]),
  positive('座机号码为23456789', [['landline', '23456789']]),
  positive('家属电话 010-12345678', [['landline', '010-12345678']]),
  lookalike('标本编号 12345678901 已录入。'),
  lookalike('检测批号 20240305123，质控在控。'),
  lookalike('条码 10086100861'),
  lookalike('订单号 213812345678'),
  lookalike('流水号 138123456789'),
  lookalike('血小板 138×10^9/L，白细胞 13.8×10^9/L。'),
  lookalike('尿蛋白定量 1380 mg/24h，尿量 1500 ml/24h。'),
  lookalike('电话随访 3 次，门诊复诊 2 次。'),
  lookalike('Holter：室早 13812 次/24h，短阵室速 3 阵。'),

  // ── Names: in a name field, and after 患者 / 病人 / 患儿 / 家属 / 姓名 in any text ──
  ...['张伟', '欧阳娜娜', '王建国', '李秀英', '刘洋', '陈静', '司马光明', '高峰', '于丹', '诸葛亮', '曾志伟', '孙悦'].map((name) =>
    positive(name, [['patient_name', name]], { fieldKind: 'name', label: '患者姓名' }),
  ),
  positive('赵丽（女）', [['patient_name', '赵丽']], { fieldKind: 'name' }),
  positive(' 黄晓明 ', [['patient_name', '黄晓明']], { fieldKind: 'name' }),
  positive('周杰', [['patient_name', '周杰']], { label: '姓名' }),
  ...['张某', '李某某', '王先生', '匿名', '不详', '患者本人', '男', '赵XX', '刘*'].map((v) => lookalike(v, { fieldKind: 'name', label: '患者姓名' })),
  positive('患者张三，男，65岁，因反复胸闷3年入院。', [['patient_name', '张三']]),
  positive('患者李华诉胸痛2小时。', [['patient_name', '李华']]),
  positive('患者姓名：王芳，女，58岁。', [['patient_name', '王芳']]),
  positive('病人刘德明因“活动后气促1月”入院。', [['patient_name', '刘德明']]),
  positive('患儿欧阳小雨，男，5岁，发热3天。', [['patient_name', '欧阳小雨']]),
  positive('患者为赵磊，既往体健。', [['patient_name', '赵磊']]),
  positive('患者姓名为高建华，高血压病史10年。', [['patient_name', '高建华']]),
  positive('家属陈明代诉病史。', [['patient_name', '陈明']]),
  positive('患者：孙丽，近3天咳嗽。', [['patient_name', '孙丽']]),
  positive('患者周杰因胸痛行冠脉造影。', [['patient_name', '周杰']]),
  positive('联系人：吴敏（患者妻子）', [['patient_name', '吴敏']]),
  positive('患者名叫郑强，是一名出租车司机。', [['patient_name', '郑强']]),
  positive('病患马超主诉头晕。', [['patient_name', '马超']]),
  positive('监护人：黄丽娟', [['patient_name', '黄丽娟']]),
  positive('患者杨帆于2024年3月5日入院。', [['patient_name', '杨帆']]),
  positive('患者 林晓东 自诉心悸。', [['patient_name', '林晓东']]),
  positive('患者姓名：于丹，女，45岁。', [['patient_name', '于丹']]),
  lookalike('患者男，65岁，因胸痛入院。'),
  lookalike('患者于3天前出现胸闷。'),
  lookalike('患者高血压病史10年。'),
  lookalike('患者陈旧性心肌梗死5年。'),
  lookalike('患者张某，男，70岁。'),
  lookalike('患者李某某因心悸就诊。'),
  lookalike('患者自诉乏力。'),
  lookalike('患者窦性心律，HR 72次/分。'),
  lookalike('患者曾于2019年行PCI术。'),
  lookalike('患者周身乏力，食欲差。'),
  lookalike('患者黄疸3天。'),
  lookalike('患者凌晨3点突发胸痛。'),
  lookalike('患者房颤病史5年。'),
  lookalike('患者舒张压 95 mmHg。'),
  lookalike('家属诉患者夜间阵发性呼吸困难。'),
  lookalike('患者王XX，男。'),
  lookalike('患者张*，女，52岁。'),
  lookalike('患者女，58岁，教师。'),

  // ── Record numbers (床号 is not one: see phi.ts) ──
  positive('住院号：2024001234', [['record_number', '2024001234']]),
  positive('病案号 A0012345，出院诊断：急性心肌梗死。', [['record_number', 'A0012345']]),
  positive('门诊号为MZ20240305', [['record_number', 'MZ20240305']]),
  positive('病历号:88765432', [['record_number', '88765432']]),
  positive('ID号 20240315007', [['record_number', '20240315007']]),
  positive('患者ID：P-00123456', [['record_number', 'P-00123456']]),
  positive('就诊卡号 6214830012345678', [['record_number', '6214830012345678']]),
  positive('医保卡号：110105987654', [['record_number', '110105987654']]),
  positive('住院号码 ZY0098765，入住心内科。', [['record_number', 'ZY0098765']]),
  positive('登记号：0001234567', [['record_number', '0001234567']]),
  positive('门诊号 20231108-0021', [['record_number', '20231108-0021']]),
  positive('病案号为 1234567，住院号 7654321', [['record_number', '1234567'], ['record_number', '7654321']]),
  positive('2024031501', [['record_number', '2024031501']], { label: '住院号' }),
  lookalike('心血管内科 3 病区 12 床，床号：1203。'),
  lookalike('住院号不详，门诊号待补。'),
  lookalike('第3次住院，本次住院 12 天。'),
  lookalike('ICD-10：I10，E11.9，E78.5'),

  // ── Exact dates of birth (month precision is allowed) ──
  positive('出生日期：1965-03-12', [['birth_date', '1965-03-12']]),
  positive('出生于1958年7月23日，退休教师。', [['birth_date', '1958年7月23日']]),
  positive('生日 1972.11.5', [['birth_date', '1972.11.5']]),
  positive('出生日期 19650312', [['birth_date', '19650312']]),
  positive('1949年10月1日出生，男性。', [['birth_date', '1949年10月1日']]),
  positive('患儿2019年5月20日出生，足月顺产。', [['birth_date', '2019年5月20日']]),
  positive('DOB: 1980/02/29', [['birth_date', '1980/02/29']]),
  positive('生于1966年12月8日，籍贯湖南。', [['birth_date', '1966年12月8日']]),
  positive('1955-08-16生，汉族。', [['birth_date', '1955-08-16']]),
  positive('出生年月日：1970年1月1日', [['birth_date', '1970年1月1日']]),
  positive('患者（出生日期 1962年4月30号）', [['birth_date', '1962年4月30号']]),
  positive('1978-09-21', [['birth_date', '1978-09-21']], { fieldKind: 'date', label: '出生日期' }),
  lookalike('1965年3月出生，高血压病史20年。'),
  lookalike('出生日期：1965年3月'),
  lookalike('入院时间 2024年3月5日，出院时间 2024年3月12日。'),
  lookalike('2024-03-05 复查心脏超声。'),
  lookalike('出生于1965年3月，2024年3月5日入院。'),
  lookalike('2024年3月5日生化检查示血肌酐 132 μmol/L。'),
  lookalike('2020年1月1日，出生体重3.2kg的早产儿随访至今。'),
  lookalike('出生日期：1980-02-30（无效日期）'),
  lookalike('患者于2024年3月5日行冠脉CTA检查。'),
  lookalike('手术时间 2024-03-05 08:30-10:15。'),
  lookalike('2023年12月行PCI术。'),
  lookalike('65岁，女性，退休。'),

  // ── Street-level addresses (a city or hospital alone is not one) ──
  positive('家住北京市朝阳区建国路88号院3号楼2单元301室，独居。', [['address', '北京市朝阳区建国路88号院3号楼2单元301室']]),
  positive('现住上海市徐汇区漕溪北路595号', [['address', '上海市徐汇区漕溪北路595号']]),
  positive('住址：广东省深圳市南山区科技园路12号', [['address', '广东省深圳市南山区科技园路12号']]),
  positive('家庭住址：杭州市西湖区阳光花园3幢2单元502室', [['address', '杭州市西湖区阳光花园3幢2单元502室']]),
  positive('患者系河北省保定市清苑区东闾乡张家村3组人，务农。', [['address', '河北省保定市清苑区东闾乡张家村3组']]),
  positive('居住于成都市武侯区人民南路四段17号', [['address', '成都市武侯区人民南路四段17号']]),
  positive('家住南京市鼓楼区中山北路30号，退休。', [['address', '南京市鼓楼区中山北路30号']]),
  positive('现居武汉市武昌区东湖新村12栋3单元', [['address', '武汉市武昌区东湖新村12栋3单元']]),
  positive('地址：重庆市渝中区解放碑步行街8号', [['address', '重庆市渝中区解放碑步行街8号']]),
  positive('户籍地：山东省青岛市市南区香港中路100号', [['address', '山东省青岛市市南区香港中路100号']]),
  positive('住在西安市雁塔区小寨东路1号，爱人陪同就诊。', [['address', '西安市雁塔区小寨东路1号']]),
  positive('来自湖南省长沙市岳麓区麓山南路932号', [['address', '湖南省长沙市岳麓区麓山南路932号']]),
  positive('家住天津市和平区南京路219号', [['address', '天津市和平区南京路219号']]),
  positive('四川省绵阳市安州区花荄镇益昌村2组', [['address', '四川省绵阳市安州区花荄镇益昌村2组']]),
  lookalike('就诊于北京协和医院心内科。'),
  lookalike('患者来自上海市，退休。'),
  lookalike('复旦大学附属中山医院心内科随访。'),
  lookalike('转诊至上海市第六人民医院。'),
  lookalike('消化道出血3次，呼吸道感染2次。'),
  lookalike('首都医科大学附属北京安贞医院心内科3病区'),
  lookalike('住院部5号楼12层，导管室2号间。'),
  lookalike('心电图示 V1-V4 导联 ST 段抬高 0.2-0.4 mV。'),

  // ── Everyday clinical text ──
  lookalike('检查：血肌酐 132 μmol/L，尿酸 456 μmol/L。'),
  lookalike('HbA1c 7.2%，空腹血糖 8.6 mmol/L。'),
  lookalike('查体：血压 150/95 mmHg，心率 88 次/分。'),
  lookalike('LDL-C 3.4 mmol/L，TG 2.1 mmol/L。'),
  lookalike('治疗：氨氯地平 5 mg qd，阿托伐他汀 20mg qn。'),
  lookalike('病程 10 年，随访 12 个月。'),
  lookalike('北京协和医院心血管内科'),
  lookalike('主治医师，从事心内科临床工作10年。'),
  lookalike('主任医师，教授，博士生导师。'),
  lookalike('诊断：NYHA 分级 II 级，EF 35%。'),
  lookalike('心电图：PR 间期 160 ms，QRS 120 ms，QTc 450 ms。'),
  lookalike('心脏超声：左室舒张末内径 58 mm，LVEF 35%。'),
  lookalike('冠脉造影：LAD 近段狭窄 90%，植入支架 1 枚（3.0×18 mm）。'),
  lookalike('BNP 1380 pg/ml，NT-proBNP 12345 pg/ml。'),
  lookalike('eGFR 45 ml/min/1.73m²，血钾 3.8 mmol/L（3.5-5.5）。'),
  lookalike('胸部 CT：右肺上叶结节 8 mm，Lung-RADS 3 类。'),
  lookalike('24 小时动态血压：日间均值 145/92 mmHg，夜间 132/84 mmHg。'),
  lookalike('2型糖尿病 15 年，胰岛素 12-8-10 U 皮下注射。'),
  lookalike('体重 75 kg，身高 170 cm，BMI 25.9 kg/m²。'),
  lookalike('心率 60-100 次/分，血压 90-140/60-90 mmHg 为目标。'),
  lookalike('总胆固醇 6.2 mmol/L，HDL-C 1.02 mmol/L。'),
  lookalike('INR 2.3，华法林 3 mg qd。'),
  lookalike('肌钙蛋白I 12.5 ng/ml（参考值 <0.04）'),
  lookalike('随访 3、6、12 个月，血压达标率 85%。'),
  lookalike('心内科、内分泌科、肾内科多学科会诊。'),
  lookalike('张某，男，70岁，退休工人。'),
  lookalike('王某某，女，因心悸就诊。'),
  lookalike('患者男 65岁'),
  lookalike('GRACE 评分 168 分，CRUSADE 评分 32 分。'),
  lookalike('CHA2DS2-VASc 评分 4 分，HAS-BLED 2 分。'),
  lookalike('达格列净 10 mg qd，二甲双胍 0.5 g tid。'),
  lookalike('替格瑞洛 90 mg bid 联合阿司匹林 100 mg qd 12 个月。'),
  lookalike('运动平板试验：Bruce 方案 3 级，9 METs。'),
  lookalike('超敏CRP 15.6 mg/L，ESR 38 mm/h。'),
  lookalike('尿微量白蛋白/肌酐比 320 mg/g，颈动脉斑块 12 mm×3 mm。'),
  lookalike('服用硝苯地平控释片 30 mg qd 5 年。'),
  lookalike('血常规：WBC 13.8×10^9/L，Hb 102 g/L，PLT 138×10^9/L。'),
  lookalike('左主干 50% 狭窄，LCX 中段 70%，RCA 远段 100% 闭塞。'),
  lookalike('12 导联心电图：QRS 波群时限 0.12 s，Killip I 级。'),
  lookalike('研究编号 CN-2024-0315，伦理批件 2024-伦审-017。'),
  lookalike('主诉：反复胸闷3年，加重1周。'),
  lookalike('既往史：否认肝炎、结核病史，否认手术外伤史。'),
  lookalike('复查电话：暂无，门诊随访。'),

  // ── Whole case reports with several identifiers ──
  positive(`患者王建国，男，67岁，住院号：2024031501，身份证号${IDS[12]!}，联系电话${MOBILES[3]!}。主诉：反复胸闷3年，加重1周。`, [
    ['patient_name', '王建国'],
    ['record_number', '2024031501'],
    ['id_number', IDS[12]!],
    ['mobile', MOBILES[3]!],
  ]),
  positive('基本信息：患者姓名：李秀兰，出生日期：1956年8月12日，家住江苏省南京市玄武区北京东路71号。', [
    ['patient_name', '李秀兰'],
    ['birth_date', '1956年8月12日'],
    ['address', '江苏省南京市玄武区北京东路71号'],
  ]),
  positive('现病史：患者于2024年3月5日因胸痛就诊于我院，病案号 B20240305，家属电话 0571-87654321。血压 150/95 mmHg。', [
    ['record_number', 'B20240305'],
    ['landline', '0571-87654321'],
  ]),
];
