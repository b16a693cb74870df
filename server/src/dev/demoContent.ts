/**
 * The demo content library: guideline updates, case discussions, expert interviews and videos for
 * a cardiology / endocrinology / oncology / respiratory programme. Text only; seedContent.ts turns
 * each entry into an item through the content service and decides its place in the workflow.
 */
import type { ContentType, Topic } from '@hcp360/shared';

export type DemoKind = 'guideline' | 'case' | 'interview' | 'review';

export interface DemoItem {
  title: string;
  summary: string;
  topics: Topic[];
  type: ContentType;
  kind: DemoKind;
  rxOnly?: boolean;
  priority?: number;
  /** Three or four key points, the body's backbone. */
  points: string[];
}

export const DEMO_CONTENT: DemoItem[] = [
  // ---- hypertension ----
  { title: '2024 中国高血压防治指南更新要点解读', summary: '降压目标、诊室外血压监测与单片复方制剂的最新推荐，一文读懂。', topics: ['hypertension'], type: 'article', kind: 'guideline', priority: 80,
    points: ['多数高血压患者降压目标为 <130/80 mmHg，老年患者个体化', '推荐家庭血压监测和动态血压监测作为诊断与随访的重要手段', '起始即可考虑两药联合，优先单片复方制剂', '生活方式干预贯穿全程：限盐、减重、规律运动'] },
  { title: '难治性高血压的识别与处理：一例 58 岁男性病例讨论', summary: '三药联合仍未达标，如何排查继发性因素并优化方案？', topics: ['hypertension', 'ckd'], type: 'article', kind: 'case',
    points: ['先排除假性难治：测量方法、依从性与白大衣效应', '筛查原发性醛固酮增多症、睡眠呼吸暂停等继发因素', '在利尿剂基础上加用盐皮质激素受体拮抗剂', '关注肾功能与血钾变化'] },
  { title: '专家访谈：基层高血压管理的"最后一公里"', summary: '社区医生如何做好高血压筛查、随访与转诊？听专家谈实践经验。', topics: ['hypertension'], type: 'video', kind: 'interview',
    points: ['建立规范的随访档案与提醒机制', '利用家庭血压数据调整治疗', '明确转诊指征，做好上下联动'] },
  { title: 'ARNI 在高血压合并心肌肥厚患者中的应用', summary: '血管紧张素受体脑啡肽酶抑制剂的降压与靶器官保护证据梳理。', topics: ['hypertension', 'heart_failure'], type: 'article', kind: 'review', rxOnly: true,
    points: ['ARNI 降压幅度优于单用 ARB', '可改善左心室肥厚相关指标', '注意与 ACEI 的洗脱期，监测血钾和肾功能'] },

  // ---- heart failure ----
  { title: '心力衰竭"新四联"治疗：从指南到临床', summary: 'ARNI、β 受体阻滞剂、MRA 与 SGLT2 抑制剂如何快速、安全地启动与滴定。', topics: ['heart_failure'], type: 'article', kind: 'guideline', priority: 85,
    points: ['HFrEF 患者应尽早启动四类基石药物', '可同时或快速序贯起始，而非逐一达靶剂量', '每 1–2 周随访，关注血压、心率、肾功能与血钾', '出院前启动可降低早期再住院风险'] },
  { title: 'SGLT2 抑制剂在射血分数降低心衰中的循证进展', summary: '从 DAPA-HF 到 EMPEROR-Reduced，SGLT2i 的心衰获益与用药注意事项。', topics: ['heart_failure', 'diabetes'], type: 'article', kind: 'review', rxOnly: true, priority: 70,
    points: ['无论是否合并糖尿病均可获益', '显著降低心衰住院和心血管死亡风险', '起始后 eGFR 可出现一过性下降，无需停药', '注意生殖道感染与容量状态'] },
  { title: '射血分数保留心衰（HFpEF）的诊断难点', summary: 'H2FPEF 评分与 HFA-PEFF 流程在门诊中的实用技巧。', topics: ['heart_failure'], type: 'article', kind: 'review',
    points: ['HFpEF 诊断依赖症状、利钠肽与超声心动图综合判断', '负荷超声或有创血流动力学可用于疑难病例', '积极管理高血压、房颤、肥胖等合并症'] },
  { title: '病例讨论：急性失代偿性心衰的利尿剂抵抗', summary: '一例反复住院患者的容量管理思路与利尿策略调整。', topics: ['heart_failure', 'ckd'], type: 'video', kind: 'case',
    points: ['评估尿钠以早期识别利尿剂反应不佳', '可联合噻嗪类或乙酰唑胺序贯阻断', '关注电解质与肾功能，必要时超滤'] },

  // ---- coronary heart disease ----
  { title: '慢性冠脉综合征的长期抗栓策略', summary: 'PCI 术后双联抗血小板疗程如何个体化？缺血与出血风险如何权衡？', topics: ['coronary_heart_disease'], type: 'article', kind: 'guideline', priority: 75,
    points: ['采用评分工具同时评估缺血与出血风险', '高出血风险患者可缩短双抗疗程', '长期单药抗血小板是多数患者的基础'] },
  { title: '专家访谈：冠心病患者的强化降脂为何要"早"和"狠"', summary: 'LDL-C 越低越好、越早越好的理念如何落地到临床实践。', topics: ['coronary_heart_disease', 'dyslipidemia'], type: 'video', kind: 'interview',
    points: ['极高危患者 LDL-C 目标 <1.4 mmol/L 且较基线降低 ≥50%', '他汀不达标时尽早联合依折麦布或 PCSK9 抑制剂', '4–6 周复查血脂评估达标情况'] },
  { title: '病例讨论：年轻女性胸痛，冠脉造影正常之后', summary: '冠脉微血管功能障碍（INOCA）的识别与管理。', topics: ['coronary_heart_disease'], type: 'article', kind: 'case',
    points: ['造影无明显狭窄并不排除缺血', '冠脉功能检测有助于明确内皮或微血管功能障碍', '治疗以控制危险因素和抗心绞痛药物为主'] },
  { title: 'PCSK9 抑制剂临床应用十问十答', summary: '适应证、注射方式、安全性与医保政策，常见问题一次讲清。', topics: ['coronary_heart_disease', 'dyslipidemia'], type: 'article', kind: 'review', rxOnly: true,
    points: ['用于他汀最大耐受剂量仍未达标的极高危患者', '皮下注射，每 2 周或每月一次', '整体安全性良好，注射部位反应最常见'] },

  // ---- atrial fibrillation ----
  { title: '心房颤动管理新路径：ABC 整体化管理', summary: '抗凝、症状控制与合并症管理三位一体，改善房颤患者预后。', topics: ['atrial_fibrillation'], type: 'article', kind: 'guideline',
    points: ['A：CHA₂DS₂-VASc 评估后规范抗凝', 'B：根据症状选择心率或节律控制', 'C：管理高血压、糖尿病、睡眠呼吸暂停等合并症'] },
  { title: '老年房颤患者口服抗凝药的剂量选择', summary: '高龄、低体重、肾功能不全时 NOAC 如何减量？', topics: ['atrial_fibrillation', 'ckd'], type: 'article', kind: 'review', rxOnly: true,
    points: ['按说明书标准进行减量，避免"随意低剂量"', '定期评估肌酐清除率', '跌倒风险本身不是抗凝禁忌'] },
  { title: '早期节律控制：房颤导管消融的时机', summary: '专家解读早期节律控制研究对临床实践的启示。', topics: ['atrial_fibrillation'], type: 'video', kind: 'interview',
    points: ['诊断后一年内启动节律控制可能带来心血管获益', '心衰合并房颤患者导管消融获益明确', '消融后仍需根据卒中风险决定是否继续抗凝'] },

  // ---- dyslipidemia ----
  { title: '血脂异常管理：中国成人血脂指南要点', summary: 'ASCVD 风险分层与 LDL-C 目标值一图读懂。', topics: ['dyslipidemia'], type: 'article', kind: 'guideline',
    points: ['先做 ASCVD 风险评估，再定 LDL-C 目标', '中等强度他汀为起始基础治疗', '高甘油三酯血症需关注生活方式与继发因素'] },
  { title: '家族性高胆固醇血症的筛查与诊断', summary: '一例 35 岁心梗患者引出的家系筛查。', topics: ['dyslipidemia', 'coronary_heart_disease'], type: 'article', kind: 'case',
    points: ['LDL-C 显著升高、早发冠心病家族史需警惕', '黄色瘤和角膜弓是重要体征', '一级亲属应进行级联筛查'] },

  // ---- diabetes ----
  { title: '2型糖尿病降糖药物选择：以心肾获益为导向', summary: '合并 ASCVD、心衰或 CKD 时优先选择哪些药物？', topics: ['diabetes'], type: 'article', kind: 'guideline', priority: 80,
    points: ['合并 ASCVD 优先 GLP-1RA 或 SGLT2i', '合并心衰或 CKD 优先 SGLT2i', 'HbA1c 目标个体化，多数 <7%', '关注低血糖风险与体重影响'] },
  { title: 'GLP-1 受体激动剂的胃肠道不良反应管理', summary: '从小剂量起始、缓慢滴定，到饮食指导的实用建议。', topics: ['diabetes', 'obesity'], type: 'article', kind: 'review', rxOnly: true,
    points: ['恶心、呕吐多见于起始和加量阶段', '少量多餐、避免高脂饮食可减轻症状', '持续严重呕吐需评估胰腺炎等情况'] },
  { title: '病例讨论：新诊断糖尿病患者的胰岛素强化治疗', summary: 'HbA1c 11.2% 的初诊患者，短期强化治疗后如何转换方案？', topics: ['diabetes'], type: 'article', kind: 'case',
    points: ['显著高血糖时可短期胰岛素强化以解除糖毒性', '部分患者可获得较长时间的血糖缓解', '转换为口服药时需密切监测血糖'] },
  { title: '专家访谈：持续葡萄糖监测改变糖尿病管理', summary: 'TIR 等新指标如何指导日常调整？', topics: ['diabetes'], type: 'video', kind: 'interview',
    points: ['TIR >70% 是多数患者的目标', '关注低血糖时间与血糖波动', '数据共享有助于远程随访'] },
  { title: '糖尿病肾病早筛：UACR 和 eGFR 一个都不能少', summary: '每年一次的肾脏筛查为何重要？异常后如何处理？', topics: ['diabetes', 'ckd'], type: 'article', kind: 'review',
    points: ['每年检测 UACR 与 eGFR', '白蛋白尿阳性需 3–6 个月内复查确认', '联合 RAAS 抑制剂与 SGLT2i 延缓进展'] },

  // ---- obesity and thyroid ----
  { title: '肥胖症诊疗指南解读：体重管理是慢病防治的起点', summary: '从 BMI 到腰围，从生活方式到药物与手术的阶梯治疗。', topics: ['obesity'], type: 'article', kind: 'guideline',
    points: ['BMI ≥28 kg/m² 诊断为肥胖，结合腰围评估', '减重 5%–10% 即可改善代谢指标', '生活方式干预是基础，必要时药物或手术'] },
  { title: '甲状腺结节的超声评估与随访', summary: 'C-TIRADS 分类如何指导细针穿刺决策？', topics: ['thyroid'], type: 'article', kind: 'guideline',
    points: ['依据超声特征进行风险分层', '高危结节按大小阈值行细针穿刺', '良性结节定期超声随访即可'] },
  { title: '病例讨论：亚临床甲减要不要治？', summary: '一例备孕女性 TSH 5.8 mIU/L 的处理。', topics: ['thyroid'], type: 'video', kind: 'case',
    points: ['备孕及妊娠期 TSH 目标更严格', '结合 TPOAb 与症状综合判断', '治疗后 4–6 周复查甲功'] },

  // ---- lung cancer ----
  { title: '非小细胞肺癌驱动基因检测的规范流程', summary: '组织与液体活检如何选择？哪些基因必须检测？', topics: ['lung_cancer'], type: 'article', kind: 'guideline', priority: 80,
    points: ['晚期非鳞 NSCLC 应进行多基因检测', '组织不足时可用血液 ctDNA 补充', '检测报告需结合临床解读'] },
  { title: 'EGFR 突变晚期 NSCLC 一线治疗进展', summary: '第三代 EGFR-TKI 单药与联合策略的最新数据。', topics: ['lung_cancer'], type: 'article', kind: 'review', rxOnly: true, priority: 70,
    points: ['第三代 EGFR-TKI 为一线标准治疗之一', '联合化疗或抗血管生成可进一步延长无进展生存', '关注间质性肺病等不良反应'] },
  { title: '免疫检查点抑制剂相关肺炎的识别与处理', summary: '咳嗽、气促出现时如何分级并决定是否停药？', topics: ['lung_cancer'], type: 'article', kind: 'review', rxOnly: true,
    points: ['按 CTCAE 分级处理', '2 级及以上需暂停免疫治疗并使用糖皮质激素', '重启免疫治疗需多学科评估'] },
  { title: '专家访谈：肺癌早筛，低剂量 CT 该给谁做？', summary: '高危人群界定与肺结节随访管理。', topics: ['lung_cancer'], type: 'video', kind: 'interview',
    points: ['长期吸烟者等高危人群建议每年筛查', '肺结节按大小和密度分层随访', '避免过度诊断与过度治疗'] },
  { title: '病例讨论：ALK 阳性肺癌脑转移的全程管理', summary: '一例年轻患者的靶向治疗与放疗配合。', topics: ['lung_cancer'], type: 'article', kind: 'case', rxOnly: true,
    points: ['新一代 ALK 抑制剂颅内控制率高', '有症状脑转移需评估局部放疗', '长期生存患者需关注生活质量'] },

  // ---- breast and colorectal cancer ----
  { title: 'HER2 低表达乳腺癌：新分类带来的治疗机会', summary: '病理判读要点与抗体偶联药物的应用。', topics: ['breast_cancer'], type: 'article', kind: 'review', rxOnly: true,
    points: ['IHC 1+ 或 2+/ISH- 定义为 HER2 低表达', '病理判读需规范并加强质控', '抗体偶联药物为该人群提供新选择'] },
  { title: '早期乳腺癌辅助内分泌治疗的依从性管理', summary: '关节痛、潮热等不良反应如何处理，帮助患者坚持 5–10 年治疗。', topics: ['breast_cancer', 'osteoporosis'], type: 'article', kind: 'review',
    points: ['提前告知常见不良反应', '芳香化酶抑制剂使用者需监测骨密度', '定期随访有助于提高依从性'] },
  { title: '结直肠癌筛查：从粪便检测到结肠镜', summary: '50 岁起规范筛查，早诊早治降低死亡率。', topics: ['colorectal_cancer'], type: 'video', kind: 'guideline',
    points: ['一般风险人群 50 岁起筛查', '粪便免疫化学检测阳性者需结肠镜检查', '有家族史者应提前筛查'] },

  // ---- COPD and asthma ----
  { title: '慢阻肺全球倡议（GOLD）更新要点', summary: '初始治疗方案简化为 A、B、E 三组，双支扩剂地位提升。', topics: ['copd'], type: 'article', kind: 'guideline', priority: 75,
    points: ['按症状与急性加重史分为 A、B、E 组', 'B 组与 E 组优先 LABA+LAMA', '血嗜酸粒细胞计数指导 ICS 使用'] },
  { title: '吸入装置使用错误：被忽视的疗效杀手', summary: '常见操作错误与门诊快速宣教方法。', topics: ['copd', 'asthma'], type: 'video', kind: 'review',
    points: ['超过半数患者存在至少一个关键操作错误', '每次随访都应检查吸入技术', '根据吸气流速选择合适装置'] },
  { title: '病例讨论：慢阻肺频繁急性加重的原因分析', summary: '一例一年内三次住院患者的评估与方案调整。', topics: ['copd'], type: 'article', kind: 'case',
    points: ['排查吸入技术、依从性与合并症', '嗜酸粒细胞升高者可考虑三联治疗', '肺康复与疫苗接种同样重要'] },
  { title: '重度哮喘生物制剂的选择', summary: '根据表型与生物标志物选择抗 IgE、抗 IL-5 或抗 IL-4R 治疗。', topics: ['asthma'], type: 'article', kind: 'review', rxOnly: true,
    points: ['先确认诊断与依从性，排除可纠正因素', '依据 IgE、嗜酸粒细胞、FeNO 选择靶点', '治疗 4 个月后评估疗效'] },
  { title: '儿童哮喘的规范化管理', summary: '控制评估、阶梯治疗与家长教育。', topics: ['asthma'], type: 'article', kind: 'guideline',
    points: ['以症状控制和未来风险评估为核心', '低剂量 ICS 是多数患儿的基础治疗', '制定书面哮喘行动计划'] },

  // ---- stroke, CKD, osteoporosis ----
  { title: '缺血性卒中二级预防要点', summary: '抗栓、降压、降脂三管齐下，降低复发风险。', topics: ['stroke', 'hypertension'], type: 'article', kind: 'guideline',
    points: ['非心源性卒中以抗血小板为主', '心源性卒中（如房颤）需抗凝', '血压与 LDL-C 需长期达标'] },
  { title: '慢性肾脏病患者的心血管风险管理', summary: 'CKD 是心血管病的等危症，如何综合干预？', topics: ['ckd', 'heart_failure'], type: 'article', kind: 'review',
    points: ['控制血压与蛋白尿是核心', 'SGLT2i 可延缓肾功能下降', '注意药物剂量随 eGFR 调整'] },
  { title: '专家访谈：绝经后骨质疏松的长期管理', summary: '骨折高风险人群如何选择与序贯治疗？', topics: ['osteoporosis'], type: 'video', kind: 'interview',
    points: ['基于骨折风险而非仅凭骨密度决策', '极高风险患者可先用促骨形成药物', '注意药物假期与序贯衔接'] },
  { title: '肝癌的早期筛查与监测', summary: '乙肝肝硬化患者每 6 个月超声联合 AFP 监测。', topics: ['liver_cancer', 'hepatitis_b'], type: 'article', kind: 'guideline',
    points: ['高危人群每 6 个月进行监测', '超声联合 AFP 提高检出率', '可疑结节进一步增强影像检查'] },
];
