import type { EnumGroup, EnumValue } from '../domain';

type EnumKey = { [G in EnumGroup]: `${G}.${EnumValue<G>}` }[EnumGroup];

// The Chinese table defines the key set; `satisfies` makes a missing enum translation fail tsc.
export const zhCN = {
  'app.name': '图斑 Tuban',
  'app.tagline': '违法建筑动态监测平台',
  'app.loading': '加载中…',
  'app.retry': '重试',

  'lang.switch': '语言',
  'lang.zh-CN': '中文',
  'lang.en': 'English',

  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.required': '请输入用户名和密码',

  'error.unauthorized': '用户名或密码错误',
  'error.sessionExpired': '登录已过期，请重新登录',
  'error.forbidden': '没有权限执行此操作',
  'error.network': '无法连接服务器，请检查网络后重试',
  'error.server': '服务器出错（HTTP {status}）：{message}',
  'error.config': '无法读取系统配置，已使用默认底图',

  'header.user': '当前用户',
  'header.logout': '退出登录',
  'header.loggingOut': '正在退出…',

  'map.label': '地图',
  'map.loading': '地图加载中…',
  'map.initFailed': '地图无法启动（浏览器可能不支持 WebGL）',
  'map.basemapFailed': '无法加载配置的底图，已改用默认底色',
  'map.tileError': '部分地图数据加载失败，请稍后刷新',

  'panel.title': '图层',
  'panel.toggle': '显示{name}',
  'legend.title': '图例',
  'legend.demoPartition': '示意分区，非官方边界',
  'legend.boundarySource': '边界来源：{source}',

  'dataset.streets': '街镇',
  'dataset.registry': '违建台账',
  'dataset.hotspots': '别墅违建热点',
  'dataset.candidates': '疑似图斑',

  'streets.title': '街镇列表',
  'streets.loading': '正在加载街镇…',
  'streets.empty': '暂无街镇数据',
  'streets.zoomTo': '定位到{name}',

  'popup.close': '关闭',

  'field.id': '编号',
  'field.caseNo': '案件号',
  'field.status': '状态',
  'field.buildingType': '建筑类型',
  'field.origin': '存量/新增',
  'field.source': '发现来源',
  'field.streetCode': '街镇代码',
  'field.streetName': '所属街镇',
  'field.floorAreaM2': '建筑面积',
  'field.footprintM2': '占地面积',
  'field.foundOn': '发现日期',
  'field.deadline': '处置期限',
  'field.closedOn': '销项日期',
  'field.villaCategory': '别墅分类（三个一批）',
  'field.name': '名称',
  'field.areaM2': '面积',
  'field.villaItems': '别墅违建数',
  'field.scoreMax': '最高置信度',
  'field.rebuilt': '拆后复建',
  'field.code': '代码',
  'field.kind': '类型',
  'field.boundarySource': '边界来源',

  'value.yes': '是',
  'value.no': '否',
  'value.area': '{value} 平方米',

  'role.admin': '系统管理员',
  'role.office': '拆违专办',
  'role.squad': '街镇中队',
  'role.pilot': '飞手',
  'role.viewer': '查看人员',

  'registryStatus.open': '库内',
  'registryStatus.demolished': '已拆除',
  'registryStatus.legalized': '已补证',
  'registryStatus.confiscated': '已没收',
  'registryStatus.annotated': '注记',

  'candidateStatus.new': '新发现',
  'candidateStatus.confirmed': '已确认违建',
  'candidateStatus.known': '已在台账',
  'candidateStatus.dismissed': '已排除',
  'candidateStatus.field_check': '待现场核查',

  'buildingType.steel_shed': '钢棚',
  'buildingType.rooftop_addition': '屋顶加层',
  'buildingType.extension': '外扩搭建',
  'buildingType.courtyard_enclosure': '庭院圈占',
  'buildingType.standalone': '独立违建',
  'buildingType.villa_extension': '别墅违建',

  'origin.stock': '存量',
  'origin.new': '新增',

  'source.survey': '普查',
  'source.drone': '无人机',
  'source.satellite': '卫星影像',
  'source.complaint_12345': '12345 投诉',
  'source.patrol': '巡查',
  'source.city_patch': '市级下发图斑',

  'villaCategory.demolish_confiscate': '拆除没收',
  'villaCategory.restrict_freeze': '限制冻结',
  'villaCategory.policy_guidance': '政策疏导',

  'streetKind.subdistrict': '街道',
  'streetKind.town': '镇',
} satisfies Record<EnumKey, string> & Record<string, string>;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
