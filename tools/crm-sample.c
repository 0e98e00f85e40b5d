/* SPDX-License-Identifier: MIT */
/* Write a deterministic, realistic sample CRM data set as three CSV files. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_buf.h"
#include "crm_mem.h"

/*
 * The output must be byte-identical on every machine, so floating point is
 * limited to what IEEE 754 defines exactly (+, -, *, /, sqrt, floor, frexp,
 * ldexp) and our own log and exp built from them: libm's may differ in the
 * last bit.  A fused multiply-add would round differently too; GCC does not
 * contract in ISO C mode, clang needs to be told.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#ifndef CRM_VERSION
#define CRM_VERSION "0.1.0"
#endif

#define MAX_CUSTOMERS	10000000
#define MAX_YEARS	20
#define PRE_DAYS	730	/* customers registered before the period */

/*
 * The model.  Rates are orders a day at season weight 1; gamma and
 * lognormal draws make a few customers bring most of the revenue.
 */
#define RATE_SHAPE	0.7
#define RATE_MEAN	0.0152
#define SPEND_MU	5.0	/* log yuan: a median order of about 150 */
#define SPEND_SIGMA	1.0
#define WMAX		4000	/* highest season weight, per mille */

/* Independent random streams of one customer. */
enum stream {
	S_SIGNUP = 1,
	S_DUP,
	S_LIFE,
	S_ORDERS,
	S_IDENT,
	S_LOOK,
	S_TALK
};

struct opts {
	long customers;
	int years;
	uint64_t seed;
	long end;		/* day number of the last day */
	int plain;
	int quiet;
	const char *outdir;
};

struct rng {
	uint64_t s;
};

struct ymd {
	short y;
	signed char m, d;
};

/* A short field being built; nothing written here comes near 256 bytes. */
struct str {
	char b[256];
	size_t n;
};

struct out {
	FILE *fp;
	char *path;
	int errnum;
	size_t len;
	char buf[1 << 16];
};

struct ctx {
	uint64_t seed;
	long ncust;
	long start, end;	/* the order period, inclusive */
	long first;		/* first day in cal */
	int plain;
	struct ymd *cal;	/* dates of the days first..end */
	unsigned short *weight;	/* season weight of start..end, per mille */
	size_t *count;		/* orders a day, then where each day starts */
	size_t *cursor;		/* next free slot of each day in ord */
	uint32_t *ord;		/* two words per order */
	int fill;		/* 0: count orders, 1: store them */
	int overflow;
};

/* What the order process needs to know about one customer. */
struct life {
	long signup;
	long from, until;	/* days it may buy on */
	double rate;
	double spend;		/* typical order value in yuan */
	int prospect;		/* never buys */
	int first_on_signup;
	long root;		/* the customer this one re-registers, or -1 */
};

enum name_kind { K_HAN, K_PINYIN, K_WEST };
enum name_form {
	F_HAN, F_HAN_SPACED, F_PINYIN, F_PINYIN_SWAPPED, F_PINYIN_UPPER,
	F_WEST, F_WEST_COMMA, F_WEST_LOWER, F_WEST_SPACED
};
enum phone_kind { P_MOBILE, P_LAND, P_NONE };
#define N_MOBILE_FMT	8
#define N_LAND_FMT	3

struct ident {
	int kind;
	int sur, g1, g2;	/* Chinese name; g2 is -1 for one character */
	int wfirst, wlast;	/* Western name */
	int phone;
	char mobile[12];
	char land[9];
	int city;
	int company;		/* 0 none, 1 Chinese, 2 Western */
	int coword, coind, cosuf, cotld, cowest;
	int email;
	int estyle, edom, enumber;
	unsigned long qq;
};

struct look {
	int form;
	int mess;		/* 1 two spaces, 2 U+3000, 3 lead, 4 trail */
	int phonefmt;
	int ecase;		/* 1 capitalised, 2 upper case */
	int espace;
	int datefmt;
	int source, manager, gradenoise;
	int noemail;		/* a re-registration without the address */
};

struct talk {
	long day;
	int minute;
	int kind, channel, outcome, note;
};

struct weighted {
	const char *s;
	int w;
};

struct pinyin {
	const char *h, *py;
	int w;
};

struct product {
	const char *name;
	long cents;
};

struct city {
	const char *name, *province, *area;
	int w;
};

static const struct pinyin surnames[] = {
	{ "王", "wang", 72 }, { "李", "li", 72 }, { "张", "zhang", 68 },
	{ "刘", "liu", 53 }, { "陈", "chen", 45 }, { "杨", "yang", 31 },
	{ "黄", "huang", 22 }, { "赵", "zhao", 20 }, { "吴", "wu", 19 },
	{ "周", "zhou", 19 }, { "徐", "xu", 14 }, { "孙", "sun", 14 },
	{ "马", "ma", 11 }, { "朱", "zhu", 12 }, { "胡", "hu", 13 },
	{ "郭", "guo", 11 }, { "何", "he", 11 }, { "高", "gao", 12 },
	{ "林", "lin", 11 }, { "罗", "luo", 9 }, { "郑", "zheng", 8 },
	{ "梁", "liang", 9 }, { "谢", "xie", 7 }, { "宋", "song", 8 },
	{ "唐", "tang", 7 }, { "许", "xu", 5 }, { "韩", "han", 7 },
	{ "冯", "feng", 7 }, { "邓", "deng", 6 }, { "曹", "cao", 6 },
	{ "彭", "peng", 5 }, { "曾", "zeng", 5 }, { "肖", "xiao", 6 },
	{ "田", "tian", 4 }, { "董", "dong", 6 }, { "袁", "yuan", 6 },
	{ "潘", "pan", 4 }, { "于", "yu", 6 }, { "蒋", "jiang", 5 },
	{ "蔡", "cai", 5 }, { "余", "yu", 4 }, { "杜", "du", 4 },
	{ "叶", "ye", 4 }, { "程", "cheng", 6 }, { "苏", "su", 5 },
	{ "魏", "wei", 4 }, { "吕", "lv", 5 }, { "丁", "ding", 4 },
	{ "任", "ren", 4 }, { "沈", "shen", 5 }, { "姚", "yao", 3 },
	{ "卢", "lu", 5 }, { "姜", "jiang", 4 }, { "崔", "cui", 3 },
	{ "钟", "zhong", 4 }, { "谭", "tan", 3 }, { "陆", "lu", 3 },
	{ "汪", "wang", 4 }, { "范", "fan", 3 }, { "金", "jin", 3 },
	{ "石", "shi", 3 }, { "廖", "liao", 3 }, { "贾", "jia", 4 },
	{ "夏", "xia", 4 }
};

static const struct pinyin given[] = {
	{ "伟", "wei", 1 }, { "芳", "fang", 1 }, { "娜", "na", 1 },
	{ "敏", "min", 1 }, { "静", "jing", 1 }, { "丽", "li", 1 },
	{ "强", "qiang", 1 }, { "磊", "lei", 1 }, { "军", "jun", 1 },
	{ "洋", "yang", 1 }, { "勇", "yong", 1 }, { "艳", "yan", 1 },
	{ "杰", "jie", 1 }, { "娟", "juan", 1 }, { "涛", "tao", 1 },
	{ "明", "ming", 1 }, { "超", "chao", 1 }, { "秀", "xiu", 1 },
	{ "霞", "xia", 1 }, { "平", "ping", 1 }, { "刚", "gang", 1 },
	{ "桂", "gui", 1 }, { "英", "ying", 1 }, { "华", "hua", 1 },
	{ "玉", "yu", 1 }, { "兰", "lan", 1 }, { "萍", "ping", 1 },
	{ "红", "hong", 1 }, { "建", "jian", 1 }, { "文", "wen", 1 },
	{ "辉", "hui", 1 }, { "力", "li", 1 }, { "斌", "bin", 1 },
	{ "宇", "yu", 1 }, { "浩", "hao", 1 }, { "凯", "kai", 1 },
	{ "鹏", "peng", 1 }, { "晨", "chen", 1 }, { "欣", "xin", 1 },
	{ "怡", "yi", 1 }, { "婷", "ting", 1 }, { "雪", "xue", 1 },
	{ "琳", "lin", 1 }, { "晓", "xiao", 1 }, { "小", "xiao", 1 },
	{ "子", "zi", 1 }, { "梓", "zi", 1 }, { "涵", "han", 1 },
	{ "轩", "xuan", 1 }, { "博", "bo", 1 }, { "睿", "rui", 1 },
	{ "思", "si", 1 }, { "佳", "jia", 1 }, { "嘉", "jia", 1 },
	{ "俊", "jun", 1 }, { "峰", "feng", 1 }, { "宁", "ning", 1 },
	{ "海", "hai", 1 }, { "波", "bo", 1 }, { "鑫", "xin", 1 },
	{ "丹", "dan", 1 }, { "阳", "yang", 1 }, { "慧", "hui", 1 },
	{ "颖", "ying", 1 }, { "倩", "qian", 1 }, { "璐", "lu", 1 },
	{ "瑶", "yao", 1 }, { "诗", "shi", 1 }, { "雨", "yu", 1 },
	{ "泽", "ze", 1 }, { "天", "tian", 1 }, { "一", "yi", 1 },
	{ "志", "zhi", 1 }, { "国", "guo", 1 }, { "春", "chun", 1 },
	{ "云", "yun", 1 }, { "成", "cheng", 1 }, { "龙", "long", 1 },
	{ "飞", "fei", 1 }, { "东", "dong", 1 }
};

/* Western names: as written, then as an e-mail address spells them. */
static const struct pinyin wfirst[] = {
	{ "Anna", "anna", 1 }, { "Sean", "sean", 1 }, { "Tom", "tom", 1 },
	{ "Maria", "maria", 1 }, { "David", "david", 1 },
	{ "Emma", "emma", 1 }, { "Lukas", "lukas", 1 },
	{ "Sophie", "sophie", 1 }, { "James", "james", 1 },
	{ "Laura", "laura", 1 }, { "Michael", "michael", 1 },
	{ "Julia", "julia", 1 }, { "Peter", "peter", 1 },
	{ "Sarah", "sarah", 1 }, { "Daniel", "daniel", 1 },
	{ "Olivia", "olivia", 1 }, { "Kevin", "kevin", 1 },
	{ "Nina", "nina", 1 }, { "Mark", "mark", 1 }, { "Claire", "claire", 1 }
};

static const struct pinyin wlast[] = {
	{ "Schmidt", "schmidt", 1 }, { "O'Brien", "obrien", 1 },
	{ "Müller", "mueller", 1 }, { "Smith", "smith", 1 },
	{ "Brown", "brown", 1 }, { "Garcia", "garcia", 1 },
	{ "Rossi", "rossi", 1 }, { "Dubois", "dubois", 1 },
	{ "Tanaka", "tanaka", 1 }, { "Kim", "kim", 1 },
	{ "Nguyen", "nguyen", 1 }, { "Johnson", "johnson", 1 },
	{ "Fischer", "fischer", 1 }, { "Martin", "martin", 1 },
	{ "Wilson", "wilson", 1 }, { "O'Connor", "oconnor", 1 },
	{ "Novak", "novak", 1 }, { "Silva", "silva", 1 },
	{ "Jensen", "jensen", 1 }, { "Lefèvre", "lefevre", 1 }
};

static const struct city cities[] = {
	{ "北京", "北京", "10", 10 }, { "上海", "上海", "21", 10 },
	{ "广州", "广东", "20", 7 }, { "深圳", "广东", "755", 8 },
	{ "杭州", "浙江", "571", 6 }, { "成都", "四川", "28", 6 },
	{ "武汉", "湖北", "27", 5 }, { "南京", "江苏", "25", 5 },
	{ "西安", "陕西", "29", 4 }, { "重庆", "重庆", "23", 5 },
	{ "天津", "天津", "22", 4 }, { "苏州", "江苏", "512", 4 },
	{ "长沙", "湖南", "731", 3 }, { "郑州", "河南", "371", 3 },
	{ "青岛", "山东", "532", 3 }, { "济南", "山东", "531", 2 },
	{ "厦门", "福建", "592", 2 }, { "福州", "福建", "591", 2 },
	{ "宁波", "浙江", "574", 2 }, { "沈阳", "辽宁", "24", 2 },
	{ "大连", "辽宁", "411", 2 }, { "哈尔滨", "黑龙江", "451", 2 },
	{ "昆明", "云南", "871", 2 }, { "合肥", "安徽", "551", 2 }
};

static const struct pinyin coword[] = {
	{ "云帆", "yunfan", 1 }, { "星辰", "xingchen", 1 },
	{ "华信", "huaxin", 1 }, { "鼎盛", "dingsheng", 1 },
	{ "恒通", "hengtong", 1 }, { "博远", "boyuan", 1 },
	{ "蓝海", "lanhai", 1 }, { "锦程", "jincheng", 1 },
	{ "瑞丰", "ruifeng", 1 }, { "天成", "tiancheng", 1 },
	{ "金桥", "jinqiao", 1 }, { "新创", "xinchuang", 1 },
	{ "智联", "zhilian", 1 }, { "汇通", "huitong", 1 },
	{ "嘉禾", "jiahe", 1 }, { "宏图", "hongtu", 1 }
};

static const struct pinyin coind[] = {
	{ "科技", "tech", 5 }, { "贸易", "trade", 4 }, { "网络", "net", 2 },
	{ "信息技术", "it", 2 }, { "电子商务", "ec", 2 },
	{ "文化传媒", "media", 1 }, { "餐饮管理", "food", 1 },
	{ "建筑工程", "build", 1 }, { "医疗器械", "med", 1 },
	{ "物流", "logistics", 1 }
};

static const struct weighted cosuffix[] = {
	{ "有限公司", 7 }, { "有限责任公司", 2 }, { "股份有限公司", 1 }
};

static const struct weighted cotld[] = {
	{ ".com", 5 }, { ".cn", 3 }, { ".com.cn", 2 }
};

/* Western companies and their mail domains. */
static const struct pinyin cowest[] = {
	{ "Acme GmbH", "acme.de", 1 },
	{ "Nordwind Trading Ltd.", "nordwind.com", 1 },
	{ "Blue Ocean Co., Ltd.", "blueocean.com.cn", 1 },
	{ "Kestrel Software Inc.", "kestrel.io", 1 },
	{ "Lumen & Co.", "lumen.co", 1 },
	{ "Orion Consulting LLC", "orion-consulting.com", 1 },
	{ "Silk Road Imports, Inc.", "silkroad-imports.com", 1 },
	{ "Pacific Rim Foods Pty Ltd", "pacrimfoods.com.au", 1 },
	{ "Helvetia Präzision AG", "helvetia-praezision.ch", 1 },
	{ "Maple Leaf Logistics", "mapleleaf.ca", 1 }
};

/* Mail domains, weighted for Chinese and for Western names. */
static const struct pinyin domains[] = {
	{ "qq.com", "", 30 }, { "163.com", "", 22 }, { "126.com", "", 8 },
	{ "gmail.com", "", 14 }, { "outlook.com", "", 12 },
	{ "sina.com", "", 6 }
};
static const int wdomain_w[] = { 4, 4, 1, 45, 40, 1 };

static const struct weighted sources[] = {
	{ "官网", 20 }, { "门店", 18 }, { "微信", 22 }, { "天猫", 15 },
	{ "京东", 12 }, { "展会", 5 }, { "推荐", 8 }
};

static const char *const managers[] = {
	"张伟", "李娜", "王芳", "刘洋", "陈静", "Tom Baker", "Lisa Wong",
	"赵磊"
};

static const char *const grades[] = { "普通", "银卡", "金卡", "钻石" };

/* Sorted by price, so that an order can look up what a customer spends. */
static const struct product products[] = {
	{ "纸巾 10包装", 1990 }, { "Phone Case", 2900 },
	{ "Notebook, A5, 3-pack", 3500 }, { "绿茶 250g", 3900 },
	{ "Running Socks, 3 pairs", 4500 }, { "USB-C Cable, 2m", 4900 },
	{ "大米 5kg", 5990 }, { "洗发水 750ml", 6990 }, { "保温杯", 8900 },
	{ "Yoga Mat", 12900 }, { "Coffee Beans, 1kg", 15800 },
	{ "Desk Lamp", 16900 }, { "蓝牙耳机", 19900 },
	{ "Wool Scarf", 23900 }, { "Backpack", 29900 },
	{ "电饭煲", 39900 }, { "运动鞋", 45900 }, { "Gift Card 500", 50000 },
	{ "茶具套装, 6件", 68800 }, { "护肤品礼盒", 78000 },
	{ "羽绒服", 89900 }, { "空气净化器", 129900 },
	{ "Smart Watch", 159900 }, { "Office Chair, ergonomic", 189900 },
	{ "净水器", 199900 }, { "扫地机器人", 249900 },
	{ "Espresso Machine", 329900 }, { "Tablet 11\"", 349900 },
	{ "投影仪", 429900 }, { "笔记本电脑", 599900 },
	{ "Sofa, 3-seat", 899900 }
};

static const char *const channels[] = { "online", "store", "phone", "wechat" };
static const int channel_w[] = { 50, 20, 8, 22 };

static const char *const talk_channels[] = {
	"phone", "email", "wechat", "store"
};
static const char *const talk_kinds[] = {
	"call", "email", "visit", "complaint", "support"
};
static const char *const outcomes[] = { "resolved", "unresolved", "none" };

static const char *const notes[][8] = {
	{ "回访满意度", "follow-up call, no answer", "介绍新品",
	    "wants \"express\" delivery", "约下周再联系",
	    "asked for a catalogue", "确认收货地址",
	    "interested in bulk price" },
	{ "发送促销邮件", "newsletter opened", "询价, 批量采购",
	    "sent quote", "发票已发送", "asked to unsubscribe", "活动邀请",
	    "order confirmation" },
	{ "到店试用", "visited store, bought nothing", "门店活动参与",
	    "picked up order", "咨询会员权益", "tried the \"pro\" model",
	    "到店退换货", "came with a friend" },
	{ "发货太慢", "商品有破损, 要求换货", "客服态度差", "退款还没到账",
	    "package arrived damaged, wants refund", "charged twice",
	    "说好的\"包邮\"没有兑现", "收到的颜色不对" },
	{ "咨询发票", "how to reset password", "修改收货地址",
	    "asked about warranty, 2 years?", "会员积分查询", "安装指导",
	    "app login problem", "物流查询" }
};

static const char *progname = "crm-sample";

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-hqV] [-c customers] [-o dir] [-s seed] "
	    "[-y years]\n"
	    "                  [--end YYYY-MM-DD] [--plain]\n", progname);
}

static void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(1);
}

/* splitmix64: tiny, fast, and good enough for sample data. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(r->s);
}

/*
 * Every customer draws from its own streams, so that its rows do not
 * depend on how many random numbers the customers before it used, and the
 * order pass can replay them.
 */
static void
rng_init(struct rng *r, uint64_t seed, long id, enum stream st)
{
	r->s = mix64(mix64(seed ^ UINT64_C(0x5851f42d4c957f2d)) +
	    (uint64_t)id * 16 + (uint64_t)st);
}

static unsigned
rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in (0, 1), never 0, so that its logarithm is finite. */
static double
rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

static int
pick(struct rng *r, const int *w, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += (unsigned)w[i];
	x = rng_below(r, total);
	for (i = 0; i + 1 < n && x >= (unsigned)w[i]; i++)
		x -= (unsigned)w[i];
	return (int)i;
}

/* Like pick for tables whose rows carry their weight. */
#define PICKW(r, tab) pickw((r), &(tab)[0].w, sizeof((tab)[0]), NELEM(tab))

static unsigned
weight_at(const int *w0, size_t stride, size_t i)
{
	const char *p = (const char *)w0 + i * stride;

	return (unsigned)*(const int *)(const void *)p;
}

static int
pickw(struct rng *r, const int *w0, size_t stride, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += weight_at(w0, stride, i);
	x = rng_below(r, total);
	for (i = 0; i + 1 < n && x >= weight_at(w0, stride, i); i++)
		x -= weight_at(w0, stride, i);
	return (int)i;
}

static const double ln2 = 0.69314718055994530942;

/* Natural logarithm of x > 0 by the atanh series, from basic operations. */
static double
xlog(double x)
{
	double m, s, s2, t, sum = 0;
	int e, k;

	m = frexp(x, &e);
	if (m < 0.70710678118654752440) {
		m *= 2;
		e--;
	}
	s = (m - 1) / (m + 1);
	s2 = s * s;
	t = s;
	for (k = 1; k <= 23; k += 2) {
		sum += t / k;
		t *= s2;
	}
	return 2 * sum + e * ln2;
}

static double
xexp(double x)
{
	double r, t = 1, sum = 1;
	int k, i;

	if (x < -700)
		return 0;
	if (x > 700)
		x = 700;
	k = (int)floor(x / ln2 + 0.5);
	r = x - k * ln2;
	for (i = 1; i <= 16; i++) {
		t *= r / i;
		sum += t;
	}
	return ldexp(sum, k);
}

/* Marsaglia's polar method. */
static double
rng_normal(struct rng *r)
{
	double u, v, s;

	do {
		u = 2 * rng_unit(r) - 1;
		v = 2 * rng_unit(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	return u * sqrt(-2 * xlog(s) / s);
}

/* Marsaglia and Tsang's method, boosted for shapes below 1. */
static double
rng_gamma(struct rng *r, double a)
{
	double boost = 1, d, c, x, v, u;

	if (a < 1) {
		boost = xexp(xlog(rng_unit(r)) / a);
		a += 1;
	}
	d = a - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = rng_unit(r);
		if (u < 1 - 0.0331 * x * x * x * x)
			break;
		if (xlog(u) < 0.5 * x * x + d * (1 - v + xlog(v)))
			break;
	}
	return d * v * boost;
}

static int
rng_poisson(struct rng *r, double mean)
{
	double limit = xexp(-mean), p = 1;
	int n = -1;

	do {
		n++;
		p *= rng_unit(r);
	} while (p > limit && n < 64);
	return n;
}

/* Howard Hinnant's civil-calendar algorithms; day 0 is 1970-01-01. */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

/*
 * Shopping festivals: the run-up to Chinese New Year in late January, a
 * quiet February, 618 in June, Singles' Day (11.11) and Double 12.
 */
static unsigned short
season(int m, int d)
{
	switch (m) {
	case 1:
		return d >= 12 ? 1600 : 1000;
	case 2:
		return d <= 20 ? 550 : 800;
	case 6:
		if (d == 18)
			return 3000;
		return d < 18 ? 1500 : 1000;
	case 11:
		if (d == 11)
			return WMAX;
		return d < 11 ? 1700 : 1100;
	case 12:
		return d == 12 ? 2000 : 1100;
	default:
		return 1000;
	}
}

static void
s_addn(struct str *s, const char *p, size_t n)
{
	if (s->n + n >= sizeof(s->b))
		n = sizeof(s->b) - 1 - s->n;
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void
s_add(struct str *s, const char *p)
{
	s_addn(s, p, strlen(p));
}

static void
s_addc(struct str *s, char c)
{
	s_addn(s, &c, 1);
}

/* Append v in decimal, zero-padded to at least width digits. */
static void
s_num(struct str *s, unsigned long v, int width)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || i < width);
	while (i > 0)
		s_addc(s, tmp[--i]);
}

/* Replace the ASCII digits from offset from on by full-width ones. */
static void
s_fullwidth(struct str *s, size_t from)
{
	struct str t;
	size_t i;

	t.n = 0;
	for (i = from; i < s->n; i++) {
		if (s->b[i] >= '0' && s->b[i] <= '9') {
			s_add(&t, "\xef\xbc");
			s_addc(&t, (char)(0x90 + s->b[i] - '0'));
		} else
			s_addc(&t, s->b[i]);
	}
	s->n = from;
	s_addn(s, t.b, t.n);
}

static void
out_flush(struct out *o)
{
	if (o->len > 0 && o->errnum == 0 &&
	    fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->errnum = errno != 0 ? errno : EIO;
	o->len = 0;
}

static void
out_add(struct out *o, const char *p, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		out_flush(o);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* Write one field, quoted only when RFC 4180 needs it, then sep. */
static void
out_field(struct out *o, const char *p, size_t n, char sep)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' ||
		    p[i] == '\r')
			break;
	if (o->len + 2 * n + 3 > sizeof(o->buf))
		out_flush(o);
	if (i == n) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		o->buf[o->len++] = '"';
		for (i = 0; i < n; i++) {
			if (p[i] == '"')
				o->buf[o->len++] = '"';
			o->buf[o->len++] = p[i];
		}
		o->buf[o->len++] = '"';
	}
	o->buf[o->len++] = sep;
}

static void
out_str(struct out *o, const struct str *s, char sep)
{
	out_field(o, s->b, s->n, sep);
}

static void
out_cstr(struct out *o, const char *p, char sep)
{
	out_field(o, p, strlen(p), sep);
}

static int
out_open(struct out *o, const char *dir, const char *name)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_adds(&b, dir);
	if (b.len > 0 && b.s[b.len - 1] != '/')
		crm_buf_addc(&b, '/');
	crm_buf_adds(&b, name);
	o->path = crm_buf_detach(&b, NULL);
	o->len = 0;
	o->errnum = 0;
	if ((o->fp = fopen(o->path, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, o->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Close o; say what went wrong only when report is set. */
static int
out_close(struct out *o, int report)
{
	int rc = 0;

	if (o->fp != NULL) {
		out_flush(o);
		if (fclose(o->fp) != 0 && o->errnum == 0)
			o->errnum = errno;
		o->fp = NULL;
		if (o->errnum != 0 && report)
			fprintf(stderr, "%s: %s: %s\n", progname, o->path,
			    strerror(o->errnum));
		if (o->errnum != 0)
			rc = -1;
	}
	free(o->path);
	o->path = NULL;
	return rc;
}

static void
s_date(struct str *s, const struct ctx *x, long day, int fmt)
{
	const struct ymd *c = &x->cal[day - x->first];

	s_num(s, (unsigned long)c->y, 4);
	switch (fmt) {
	case 1:
		s_addc(s, '/');
		s_num(s, (unsigned long)c->m, 1);
		s_addc(s, '/');
		s_num(s, (unsigned long)c->d, 1);
		break;
	case 2:
		s_add(s, "年");
		s_num(s, (unsigned long)c->m, 1);
		s_add(s, "月");
		s_num(s, (unsigned long)c->d, 1);
		s_add(s, "日");
		break;
	case 3:
		s_num(s, (unsigned long)c->m, 2);
		s_num(s, (unsigned long)c->d, 2);
		break;
	default:
		s_addc(s, '-');
		s_num(s, (unsigned long)c->m, 2);
		s_addc(s, '-');
		s_num(s, (unsigned long)c->d, 2);
		break;
	}
}

/*
 * Registration days are order statistics of a distribution with a quarter
 * of the customers before the period and the rest thinning out over it,
 * so that customer numbers go up with the registration date.
 */
static long
signup_day(const struct ctx *x, long i)
{
	struct rng r;
	double p, u;
	long n = x->end - x->start + 1, d;

	rng_init(&r, x->seed, i, S_SIGNUP);
	p = (i + rng_unit(&r)) / x->ncust;
	if (p < 0.25)
		return x->start - PRE_DAYS + (long)(p / 0.25 * PRE_DAYS);
	u = (p - 0.25) / 0.75;
	d = x->start + (long)(n * xexp(1.5 * xlog(u)));
	return d > x->end ? x->end : d;
}

/* The earlier customer that customer i re-registers, or -1. */
static long
dup_of(const struct ctx *x, long i)
{
	struct rng r;
	long j, k;

	if (i == 0)
		return -1;
	rng_init(&r, x->seed, i, S_DUP);
	if (rng_below(&r, 1000) >= 10)
		return -1;
	j = (long)rng_below(&r, (unsigned)i);
	while ((k = dup_of(x, j)) >= 0)
		j = k;
	return j;
}

static void
cust_life(const struct ctx *x, long i, struct life *l)
{
	struct rng r;
	struct life rl;
	double u, hazard, days;

	l->signup = signup_day(x, i);
	l->root = dup_of(x, i);
	rng_init(&r, x->seed, i, S_LIFE);
	l->prospect = rng_below(&r, 1000) < 25;
	l->rate = rng_gamma(&r, RATE_SHAPE) * (RATE_MEAN / RATE_SHAPE);
	l->spend = xexp(SPEND_MU + SPEND_SIGMA * rng_normal(&r));
	/* The chance to stop buying in a month: most stay for years. */
	u = rng_unit(&r);
	hazard = 0.004 + 0.07 * u * u * u;
	days = -xlog(rng_unit(&r)) / hazard * 30.44;
	l->first_on_signup = rng_below(&r, 100) < 75;
	if (l->root >= 0) {
		/* A second account: same taste, few orders of its own. */
		cust_life(x, l->root, &rl);
		l->spend = rl.spend;
		l->prospect = rng_below(&r, 100) < 40;
		l->rate *= 0.2;
		days *= 0.5;
	}
	l->from = l->signup > x->start ? l->signup : x->start;
	l->until = days > 100000 ? x->end : l->from + (long)days;
	if (l->until > x->end)
		l->until = x->end;
}

static void
emit(struct ctx *x, long day, uint32_t cust, uint32_t word)
{
	size_t k = (size_t)(day - x->start), slot;

	if (x->fill == 0) {
		x->count[k]++;
		return;
	}
	slot = x->cursor[k]++;
	if (slot >= x->count[k + 1]) {
		x->overflow = 1;
		return;
	}
	x->ord[2 * slot] = cust;
	x->ord[2 * slot + 1] = word;
}

/*
 * An order is packed into one word: the cents in bits 0-22, a refund flag
 * in bit 23, the product in bits 24-28 and the quantity less one in 29-31.
 */
#define REFUND_BIT	(UINT32_C(1) << 23)

static long
put_order(struct ctx *x, struct rng *r, long i, const struct life *l,
    long day)
{
	static const int qty_w[] = { 60, 25, 8, 4, 3 };
	double unit;
	long cents;
	int q, lo, hi, mid, k, pct;
	uint32_t word;

	q = pick(r, qty_w, NELEM(qty_w)) + 1;
	unit = l->spend * xexp(0.35 * rng_normal(r)) * 100 / q;
	lo = 0;
	hi = (int)NELEM(products) - 1;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (products[mid].cents < unit)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && unit - products[lo - 1].cents <
	    products[lo].cents - unit)
		lo--;
	k = (int)rng_below(r, 10);
	if (k < 2 && lo > 0)
		lo--;
	else if (k == 9 && lo + 1 < (int)NELEM(products))
		lo++;
	cents = products[lo].cents * q;
	k = (int)rng_below(r, 100);
	pct = k < 12 ? 90 : k < 18 ? 85 : k < 22 ? 95 : 100;
	if (pct != 100)
		cents = (cents * pct + 500) / 1000 * 10;
	word = (uint32_t)cents | (uint32_t)lo << 24 | (uint32_t)(q - 1) << 29;
	emit(x, day, (uint32_t)i, word);
	if (rng_below(r, 1000) < 20) {
		day += 1 + (long)rng_below(r, 14);
		if (day <= x->end) {
			emit(x, day, (uint32_t)i, word | REFUND_BIT);
			return 2;
		}
	}
	return 1;
}

/*
 * Draw customer i's orders as a Poisson process thinned by the season
 * weights, from registration until it stops buying.  Returns how many.
 */
static long
cust_orders(struct ctx *x, long i, const struct life *l)
{
	struct rng r;
	double t, lambda;
	long n = 0, d;

	if (l->prospect)
		return 0;
	rng_init(&r, x->seed, i, S_ORDERS);
	if (l->signup >= x->start && l->first_on_signup)
		n += put_order(x, &r, i, l, l->signup);
	lambda = l->rate * WMAX / 1000;
	if (lambda <= 0)
		return n;
	t = (double)l->from;
	for (;;) {
		t += -xlog(rng_unit(&r)) / lambda;
		if (t >= (double)(l->until + 1))
			break;
		d = (long)t;
		if (rng_below(&r, WMAX) < x->weight[d - x->start])
			n += put_order(x, &r, i, l, d);
	}
	return n;
}

static void
cust_ident(const struct ctx *x, long i, struct ident *id)
{
	static const int kind_w[] = { 75, 12, 13 };
	static const int mob2_w[] = { 30, 25, 5, 8, 25, 7 };
	static const char mob2[] = "356789";
	struct rng r;
	int k;

	rng_init(&r, x->seed, i, S_IDENT);
	id->kind = pick(&r, kind_w, NELEM(kind_w));
	id->sur = PICKW(&r, surnames);
	id->g1 = (int)rng_below(&r, NELEM(given));
	id->g2 = rng_below(&r, 100) < 70 ?
	    (int)rng_below(&r, NELEM(given)) : -1;
	/* 小 and 晓 open a given name, they do not close it. */
	if (id->g2 >= 0 && strcmp(given[id->g2].py, "xiao") == 0) {
		k = id->g1;
		id->g1 = id->g2;
		id->g2 = k;
	}
	id->wfirst = (int)rng_below(&r, NELEM(wfirst));
	id->wlast = (int)rng_below(&r, NELEM(wlast));
	id->city = PICKW(&r, cities);
	k = (int)rng_below(&r, 100);
	id->phone = k < 5 ? P_NONE : k < 8 ? P_LAND : P_MOBILE;
	id->mobile[0] = '1';
	id->mobile[1] = mob2[pick(&r, mob2_w, NELEM(mob2_w))];
	for (k = 2; k < 11; k++)
		id->mobile[k] = (char)('0' + rng_below(&r, 10));
	id->mobile[11] = '\0';
	id->land[0] = (char)('2' + rng_below(&r, 7));
	for (k = 1; k < 8; k++)
		id->land[k] = (char)('0' + rng_below(&r, 10));
	id->land[8] = '\0';
	k = (int)rng_below(&r, 100);
	if (k >= 40)
		id->company = 0;
	else if (id->kind == K_WEST)
		id->company = k < 24 ? 2 : 1;
	else
		id->company = k < 4 ? 2 : 1;
	id->coword = (int)rng_below(&r, NELEM(coword));
	id->coind = PICKW(&r, coind);
	id->cosuf = PICKW(&r, cosuffix);
	id->cotld = PICKW(&r, cotld);
	id->cowest = (int)rng_below(&r, NELEM(cowest));
	id->email = rng_below(&r, 100) < 70;
	id->estyle = (int)rng_below(&r, id->kind == K_WEST ? 4 : 6);
	if (id->company != 0 && rng_below(&r, 100) < 50)
		id->edom = -1;
	else if (id->kind == K_WEST)
		id->edom = pick(&r, wdomain_w, NELEM(wdomain_w));
	else
		id->edom = PICKW(&r, domains);
	id->enumber = rng_below(&r, 2) ? 10 + (int)rng_below(&r, 90) :
	    1970 + (int)rng_below(&r, 36);
	id->qq = 10000 + (unsigned long)rng_below(&r, 3000000000U);
	if (id->estyle == 3 && id->kind != K_WEST)
		id->edom = 0;
}

static void
cust_look(const struct ctx *x, long i, const struct ident *id,
    struct look *lk)
{
	static const int phone_w[] = { 45, 12, 12, 8, 5, 5, 5, 3 };
	static const int date_w[] = { 55, 20, 15, 10 };
	struct rng r;
	int k;

	rng_init(&r, x->seed, i, S_LOOK);
	k = (int)rng_below(&r, 100);
	if (id->kind == K_HAN)
		lk->form = F_HAN;
	else if (id->kind == K_PINYIN)
		lk->form = k < 20 ? F_PINYIN_SWAPPED : F_PINYIN;
	else
		lk->form = k < 25 ? F_WEST_COMMA : F_WEST;
	k = (int)rng_below(&r, 1000);
	lk->mess = k < 30 ? 1 : k < 45 ? 2 : k < 55 ? 3 : k < 65 ? 4 : 0;
	if (lk->mess == 2 && id->kind != K_HAN)
		lk->mess = 1;
	lk->phonefmt = id->phone == P_LAND ? (int)rng_below(&r, 10) % 5 % 3 :
	    pick(&r, phone_w, NELEM(phone_w));
	k = (int)rng_below(&r, 100);
	lk->ecase = k < 6 ? 1 : k < 8 ? 2 : 0;
	k = (int)rng_below(&r, 100);
	lk->espace = k < 2 ? 1 : k < 3 ? 2 : 0;
	lk->datefmt = pick(&r, date_w, NELEM(date_w));
	lk->source = PICKW(&r, sources);
	lk->manager = (int)rng_below(&r, NELEM(managers));
	lk->gradenoise = rng_below(&r, 100) < 5 ? 1 + (int)rng_below(&r, 3) :
	    0;
	lk->noemail = 0;
	if (x->plain) {
		lk->mess = 0;
		lk->phonefmt = 0;
		lk->ecase = 0;
		lk->espace = 0;
		lk->datefmt = 0;
	}
}

/* A re-registration writes the same person differently. */
static void
dup_look(const struct ctx *x, long i, const struct look *root,
    const struct ident *id, struct look *lk)
{
	static const int han[] = {
		F_HAN, F_HAN_SPACED, F_PINYIN, F_PINYIN_SWAPPED, F_PINYIN_UPPER
	};
	static const int west[] = {
		F_WEST, F_WEST_COMMA, F_WEST_LOWER, F_WEST_SPACED
	};
	struct rng r;
	const int *forms = id->kind == K_WEST ? west : han;
	int n = id->kind == K_WEST ? (int)NELEM(west) : (int)NELEM(han);
	int nfmt = id->phone == P_LAND ? N_LAND_FMT : N_MOBILE_FMT;

	rng_init(&r, x->seed, i, S_DUP);
	rng_next(&r);
	rng_next(&r);
	do {
		lk->form = forms[rng_below(&r, (unsigned)n)];
	} while (lk->form == root->form || (x->plain &&
	    (lk->form == F_HAN_SPACED || lk->form == F_WEST_SPACED)));
	lk->mess = 0;
	lk->phonefmt = (root->phonefmt + 1 + (int)rng_below(&r,
	    (unsigned)nfmt - 1)) % nfmt;
	lk->ecase = root->ecase == 0 ? 1 + (int)rng_below(&r, 2) : 0;
	lk->espace = 0;
	lk->noemail = rng_below(&r, 100) < 20;
	if (x->plain) {
		lk->phonefmt = 0;
		lk->ecase = 0;
	}
}

static void
s_cap(struct str *s, const char *p, int upper)
{
	size_t start = s->n, i;

	s_add(s, p);
	for (i = start; i < s->n; i++)
		if ((i == start || upper) && s->b[i] >= 'a' && s->b[i] <= 'z')
			s->b[i] = (char)(s->b[i] - 'a' + 'A');
}

static void
s_pinyin_given(struct str *s, const struct ident *id)
{
	s_cap(s, given[id->g1].py, 0);
	if (id->g2 >= 0)
		s_add(s, given[id->g2].py);
}

static void
s_name(struct str *s, const struct ident *id, int form, int mess)
{
	const char *sp = mess == 1 ? "  " : " ";

	if (mess == 3)
		s_addc(s, ' ');
	switch (form) {
	case F_HAN:
	case F_HAN_SPACED:
		s_add(s, surnames[id->sur].h);
		if (form == F_HAN_SPACED || mess == 1)
			s_addc(s, ' ');
		else if (mess == 2)
			s_add(s, "\xe3\x80\x80");
		s_add(s, given[id->g1].h);
		if (id->g2 >= 0)
			s_add(s, given[id->g2].h);
		break;
	case F_PINYIN:
	case F_PINYIN_UPPER:
		s_cap(s, surnames[id->sur].py, form == F_PINYIN_UPPER);
		s_add(s, sp);
		s_pinyin_given(s, id);
		break;
	case F_PINYIN_SWAPPED:
		s_pinyin_given(s, id);
		s_add(s, sp);
		s_cap(s, surnames[id->sur].py, 0);
		break;
	case F_WEST_COMMA:
		s_add(s, wlast[id->wlast].h);
		s_add(s, ", ");
		s_add(s, wfirst[id->wfirst].h);
		break;
	case F_WEST_LOWER:
		s_add(s, wfirst[id->wfirst].py);
		s_addc(s, ' ');
		s_add(s, wlast[id->wlast].h);
		if (s->b[s->n - strlen(wlast[id->wlast].h)] >= 'A')
			s->b[s->n - strlen(wlast[id->wlast].h)] += 'a' - 'A';
		break;
	default:
		s_add(s, wfirst[id->wfirst].h);
		s_add(s, form == F_WEST_SPACED ? "  " : sp);
		s_add(s, wlast[id->wlast].h);
		break;
	}
	if (mess == 4)
		s_addc(s, ' ');
}

static void
s_phone(struct str *s, const struct ctx *x, const struct ident *id,
    int fmt)
{
	const char *m = id->mobile;
	const char *area = cities[id->city].area;
	size_t from = s->n;

	if (id->phone == P_LAND && !x->plain) {
		s_addc(s, '0');
		s_add(s, area);
		if (fmt == 0)
			s_addc(s, '-');
		else if (fmt == 2)
			s_addc(s, ' ');
		s_addn(s, id->land, fmt == 2 ? 4 : 8);
		if (fmt == 2) {
			s_addc(s, ' ');
			s_add(s, id->land + 4);
		}
		return;
	}
	if (id->phone == P_NONE && !x->plain)
		return;
	switch (fmt) {
	case 1:
	case 2:
	case 3:
		if (fmt == 3)
			s_add(s, "+86 ");
		s_addn(s, m, 3);
		s_addc(s, fmt == 1 ? '-' : ' ');
		s_addn(s, m + 3, 4);
		s_addc(s, fmt == 1 ? '-' : ' ');
		s_addn(s, m + 7, 4);
		break;
	case 4:
		s_add(s, "0086-");
		s_add(s, m);
		break;
	case 5:
		s_add(s, "(+86)");
		s_add(s, m);
		break;
	case 6:
		s_add(s, "+86");
		s_add(s, m);
		break;
	case 7:
		s_add(s, m);
		s_fullwidth(s, from);
		break;
	default:
		s_add(s, m);
		break;
	}
}

static void
s_email_local(struct str *s, const struct ident *id)
{
	const char *sur = surnames[id->sur].py;

	if (id->kind == K_WEST) {
		const char *f = wfirst[id->wfirst].py;
		const char *l = wlast[id->wlast].py;

		switch (id->estyle) {
		case 1:
			s_addc(s, f[0]);
			s_add(s, l);
			break;
		case 2:
			s_add(s, f);
			s_add(s, l);
			s_num(s, (unsigned long)id->enumber, 1);
			break;
		default:
			s_add(s, f);
			s_addc(s, id->estyle == 3 ? '_' : '.');
			s_add(s, l);
			break;
		}
		return;
	}
	switch (id->estyle) {
	case 1:
		s_add(s, given[id->g1].py);
		if (id->g2 >= 0)
			s_add(s, given[id->g2].py);
		s_addc(s, '.');
		s_add(s, sur);
		break;
	case 2:
		s_add(s, sur);
		s_addc(s, given[id->g1].py[0]);
		if (id->g2 >= 0)
			s_addc(s, given[id->g2].py[0]);
		break;
	case 3:
		s_num(s, id->qq, 1);
		break;
	default:
		s_add(s, sur);
		if (id->estyle == 5)
			s_addc(s, '_');
		s_add(s, given[id->g1].py);
		if (id->g2 >= 0)
			s_add(s, given[id->g2].py);
		if (id->estyle == 4)
			s_num(s, (unsigned long)id->enumber, 1);
		break;
	}
}

static void
s_email(struct str *s, const struct ident *id, const struct look *lk)
{
	size_t from, i;

	if (lk->espace == 1)
		s_addc(s, ' ');
	from = s->n;
	s_email_local(s, id);
	s_addc(s, '@');
	if (id->edom >= 0)
		s_add(s, domains[id->edom].h);
	else if (id->company == 2)
		s_add(s, cowest[id->cowest].py);
	else {
		s_add(s, coword[id->coword].py);
		s_add(s, coind[id->coind].py);
		s_add(s, cotld[id->cotld].s);
	}
	for (i = from; i < s->n; i++) {
		int at_start = i == from || s->b[i - 1] == '.' ||
		    s->b[i - 1] == '_' || s->b[i - 1] == '@';

		if (s->b[i] >= 'a' && s->b[i] <= 'z' && (lk->ecase == 2 ||
		    (lk->ecase == 1 && at_start)))
			s->b[i] = (char)(s->b[i] - 'a' + 'A');
	}
	if (lk->espace == 2)
		s_addc(s, ' ');
}

static void
s_company(struct str *s, const struct ident *id)
{
	if (id->company == 2) {
		s_add(s, cowest[id->cowest].h);
	} else if (id->company == 1) {
		s_add(s, cities[id->city].name);
		s_add(s, coword[id->coword].h);
		s_add(s, coind[id->coind].h);
		s_add(s, cosuffix[id->cosuf].s);
	}
}

/* The tier a clerk would have given: by expected yearly spend. */
static int
grade(const struct life *l, const struct look *lk)
{
	double v = l->prospect ? 0 : l->rate * 365 * l->spend;
	int g = v > 15000 ? 3 : v > 5000 ? 2 : v > 1500 ? 1 : 0;

	if (lk->gradenoise != 0)
		g = lk->gradenoise - 1;
	return g;
}

static void
write_customer(struct out *o, const struct ctx *x, long i,
    const struct life *l)
{
	struct ident id;
	struct look lk, rlk;
	struct str s;
	const struct city *c;
	int isdup = l->root >= 0;

	cust_ident(x, isdup ? l->root : i, &id);
	if (isdup) {
		cust_look(x, l->root, &id, &rlk);
		cust_look(x, i, &id, &lk);
		dup_look(x, i, &rlk, &id, &lk);
		if (lk.noemail)
			id.email = 0;
	} else
		cust_look(x, i, &id, &lk);
	c = &cities[id.city];
	s.n = 0;
	s_addc(&s, 'C');
	s_num(&s, (unsigned long)i + 1, 6);
	out_str(o, &s, ',');
	s.n = 0;
	s_name(&s, &id, lk.form, lk.mess);
	out_str(o, &s, ',');
	s.n = 0;
	s_phone(&s, x, &id, lk.phonefmt);
	out_str(o, &s, ',');
	s.n = 0;
	if (id.email)
		s_email(&s, &id, &lk);
	out_str(o, &s, ',');
	s.n = 0;
	s_company(&s, &id);
	out_str(o, &s, ',');
	out_cstr(o, c->name, ',');
	out_cstr(o, c->province, ',');
	s.n = 0;
	s_date(&s, x, l->signup, lk.datefmt);
	out_str(o, &s, ',');
	out_cstr(o, sources[lk.source].s, ',');
	out_cstr(o, managers[lk.manager], ',');
	out_cstr(o, grades[grade(l, &lk)], '\n');
}

static void
talk_fill(struct rng *r, struct talk *t, int angry)
{
	static const int complaint_ch[] = { 40, 15, 35, 10 };
	static const int support_ch[] = { 40, 20, 40, 0 };
	static const int angry_out[] = { 20, 65, 15 };
	static const int complaint_out[] = { 70, 20, 10 };
	static const int support_out[] = { 75, 15, 10 };
	static const int other_out[] = { 40, 5, 55 };

	t->minute = 8 * 60 + (int)rng_below(r, 14 * 60);
	switch (t->kind) {
	case 0:
	case 1:
		t->channel = t->kind;
		t->outcome = pick(r, other_out, NELEM(other_out));
		break;
	case 2:
		t->channel = 3;
		t->outcome = pick(r, other_out, NELEM(other_out));
		break;
	case 3:
		t->channel = pick(r, complaint_ch, NELEM(complaint_ch));
		t->outcome = angry ? pick(r, angry_out, NELEM(angry_out)) :
		    pick(r, complaint_out, NELEM(complaint_out));
		break;
	default:
		t->channel = pick(r, support_ch, NELEM(support_ch));
		t->outcome = pick(r, support_out, NELEM(support_out));
		break;
	}
	t->note = (int)rng_below(r, NELEM(notes[0]));
}

/*
 * About one and a half contacts a customer, more for busy buyers, and
 * complaints in the three months before a customer stops buying.
 */
static void
write_talks(struct out *o, const struct ctx *x, long i, const struct life *l,
    long norders)
{
	static const int kind_w[] = { 30, 25, 12, 10, 23 };
	struct talk t[24], tmp;
	struct rng r;
	struct str s;
	double mean;
	long span = x->end - l->from + 1, day;
	int n, m, k, j;

	rng_init(&r, x->seed, i, S_TALK);
	mean = l->prospect ? 0.8 : 0.75 + 0.06 * (double)norders;
	n = rng_poisson(&r, mean > 5 ? 5 : mean);
	if (n > 16)
		n = 16;
	for (k = 0; k < n; k++) {
		t[k].day = l->from + (long)rng_below(&r, (unsigned)span);
		t[k].kind = pick(&r, kind_w, NELEM(kind_w));
		talk_fill(&r, &t[k], 0);
	}
	if (!l->prospect && norders > 0 && l->until < x->end - 30 &&
	    rng_below(&r, 100) < 50) {
		m = 1 + (rng_below(&r, 100) < 30) + (rng_below(&r, 100) < 10);
		for (j = 0; j < m; j++, n++) {
			day = l->until - (long)rng_below(&r, 90);
			t[n].day = day < l->from ? l->from : day;
			t[n].kind = 3;
			talk_fill(&r, &t[n], 1);
		}
	}
	for (k = 1; k < n; k++)
		for (j = k; j > 0 && (t[j - 1].day > t[j].day ||
		    (t[j - 1].day == t[j].day &&
		    t[j - 1].minute > t[j].minute)); j--) {
			tmp = t[j];
			t[j] = t[j - 1];
			t[j - 1] = tmp;
		}
	for (k = 0; k < n; k++) {
		s.n = 0;
		s_addc(&s, 'C');
		s_num(&s, (unsigned long)i + 1, 6);
		out_str(o, &s, ',');
		s.n = 0;
		s_date(&s, x, t[k].day, 0);
		s_addc(&s, ' ');
		s_num(&s, (unsigned long)t[k].minute / 60, 2);
		s_addc(&s, ':');
		s_num(&s, (unsigned long)t[k].minute % 60, 2);
		out_str(o, &s, ',');
		out_cstr(o, talk_channels[t[k].channel], ',');
		out_cstr(o, talk_kinds[t[k].kind], ',');
		out_cstr(o, outcomes[t[k].outcome], ',');
		out_cstr(o, notes[t[k].kind][t[k].note], '\n');
	}
}

/* Append cents as yuan, with thousands separators when group is set. */
static void
s_money(struct str *s, unsigned long cents, int group)
{
	char tmp[24];
	unsigned long yuan = cents / 100;
	int n = 0, k;

	do {
		tmp[n++] = (char)('0' + yuan % 10);
		yuan /= 10;
	} while (yuan != 0);
	for (k = n - 1; k >= 0; k--) {
		s_addc(s, tmp[k]);
		if (group && k > 0 && k % 3 == 0)
			s_addc(s, ',');
	}
	s_addc(s, '.');
	s_num(s, cents % 100, 2);
}

/* Replay the buckets day by day; order ids follow the dates. */
static void
write_orders(struct out *o, const struct ctx *x)
{
	static const char head[] =
	    "order_id,customer_id,order_date,amount,product,quantity,channel\n";
	uint64_t key = mix64(x->seed ^ UINT64_C(0x243f6a8885a308d3)), h, pref;
	unsigned long no = 0, cents;
	size_t k, j, cnt, slot;
	uint32_t cust, word;
	struct str s;
	long day;
	int r, from;

	out_add(o, head, sizeof(head) - 1);
	for (day = x->start; day <= x->end; day++) {
		k = (size_t)(day - x->start);
		cnt = x->count[k + 1] - x->count[k];
		for (j = 0; j < cnt; j++) {
			slot = x->count[k] + j;
			cust = x->ord[2 * slot];
			word = x->ord[2 * slot + 1];
			h = mix64(key + ++no);
			s.n = 0;
			s_addc(&s, 'O');
			s_num(&s, no, 8);
			s_addc(&s, ',');
			s_addc(&s, 'C');
			s_num(&s, (unsigned long)cust + 1, 6);
			s_addc(&s, ',');
			r = x->plain ? 0 : (int)(h % 100);
			s_date(&s, x, day, r >= 85 && r < 95);
			if (r >= 95) {
				/* Times rise through the day with the ids. */
				unsigned long sec = 7 * 3600 + (j * 61200 +
				    (h >> 40) % 61200) / cnt;

				s_addc(&s, ' ');
				s_num(&s, sec / 3600, 2);
				s_addc(&s, ':');
				s_num(&s, sec / 60 % 60, 2);
				s_addc(&s, ':');
				s_num(&s, sec % 60, 2);
			}
			s_addc(&s, ',');
			out_add(o, s.b, s.n);

			s.n = 0;
			cents = word & (REFUND_BIT - 1);
			r = x->plain || (word & REFUND_BIT) ? 99 :
			    (int)(h >> 8 & 0xffff) % 100;
			if (word & REFUND_BIT)
				s_addc(&s, '-');
			if (r < 2) {
				s_money(&s, cents, 0);
				s_fullwidth(&s, 0);
			} else if (r < 7) {
				s_add(&s, "RMB ");
				s_money(&s, cents, 1);
			} else if (r < 22) {
				s_add(&s, "\xc2\xa5");
				s_money(&s, cents, 1);
			} else
				s_money(&s, cents, 0);
			out_str(o, &s, ',');
			out_cstr(o, products[word >> 24 & 31].name, ',');

			s.n = 0;
			s_num(&s, (word >> 29) + 1, 1);
			s_addc(&s, ',');
			/* Most customers keep to the channel they like. */
			pref = mix64(key ^ ((uint64_t)cust << 20));
			from = (int)(h >> 32 & 0xff) % 100 < 75;
			r = (int)((from ? pref : h >> 48) % 100);
			for (from = 0; r >= channel_w[from]; from++)
				r -= channel_w[from];
			s_add(&s, channels[from]);
			s_addc(&s, '\n');
			out_add(o, s.b, s.n);
		}
	}
}

/* mkdir -p: the output directory is created when it is missing. */
static int
make_dirs(const char *path)
{
	struct stat st;
	char *p = crm_xstrdup(path), *q, c;
	int rc = 0;

	for (q = p + 1; rc == 0; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		c = *q;
		*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*q = c;
		if (c == '\0')
			break;
	}
	if (rc == 0 && stat(path, &st) != 0)
		rc = -1;
	else if (rc == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		rc = -1;
	}
	if (rc != 0)
		fprintf(stderr, "%s: %s: %s\n", progname, path,
		    strerror(errno));
	free(p);
	return rc;
}

static void
ctx_init(struct ctx *x, const struct opts *op)
{
	long day, ndays;
	int y, m, d;

	memset(x, 0, sizeof(*x));
	x->seed = op->seed;
	x->ncust = op->customers;
	x->plain = op->plain;
	x->end = op->end;
	civil_from_days(x->end, &y, &m, &d);
	y -= op->years;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	x->start = days_from_civil(y, m, d) + 1;
	x->first = x->start - PRE_DAYS;
	ndays = x->end - x->start + 1;
	x->cal = crm_xreallocarray(NULL, (size_t)(x->end - x->first + 1),
	    sizeof(*x->cal));
	x->weight = crm_xreallocarray(NULL, (size_t)ndays,
	    sizeof(*x->weight));
	for (day = x->first; day <= x->end; day++) {
		civil_from_days(day, &y, &m, &d);
		x->cal[day - x->first].y = (short)y;
		x->cal[day - x->first].m = (signed char)m;
		x->cal[day - x->first].d = (signed char)d;
		if (day >= x->start)
			x->weight[day - x->start] = season(m, d);
	}
	x->count = crm_xcalloc((size_t)ndays + 1, sizeof(*x->count));
	x->cursor = crm_xcalloc((size_t)ndays, sizeof(*x->cursor));
}

static void
ctx_release(struct ctx *x)
{
	free(x->cal);
	free(x->weight);
	free(x->count);
	free(x->cursor);
	free(x->ord);
}

/* Whether a write to one of the files has failed yet. */
static int
werr(const struct out *f)
{
	return f[0].errnum != 0 || f[1].errnum != 0 || f[2].errnum != 0;
}

/*
 * Two passes over the customers: the first writes customers.csv and
 * interactions.csv and counts the orders of each day; the second replays
 * every customer's order stream into its day's bucket, so that orders.csv
 * comes out in date order with no per-order allocation.
 */
static int
sample_run(const struct opts *op)
{
	static const char chead[] = "客户编号,姓名,手机,邮箱,公司,城市,省份,"
	    "注册日期,来源,客户经理,会员等级\n";
	static const char thead[] =
	    "customer_id,at,channel,kind,outcome,note\n";
	static const char *const names[] = {
		"customers.csv", "orders.csv", "interactions.csv"
	};
	struct ctx x;
	struct life l;
	struct out *f;
	size_t k, ndays, total, c;
	long i, n;
	int rc = -1, failed;

	ctx_init(&x, op);
	ndays = (size_t)(x.end - x.start + 1);
	f = crm_xcalloc(NELEM(names), sizeof(*f));
	if (make_dirs(op->outdir) != 0)
		goto out;
	for (k = 0; k < NELEM(names); k++)
		if (out_open(&f[k], op->outdir, names[k]) != 0)
			goto out;
	out_add(&f[0], chead, sizeof(chead) - 1);
	out_add(&f[2], thead, sizeof(thead) - 1);
	for (i = 0; i < x.ncust; i++) {
		cust_life(&x, i, &l);
		n = cust_orders(&x, i, &l);
		write_customer(&f[0], &x, i, &l);
		write_talks(&f[2], &x, i, &l, n);
		if (f[0].errnum != 0 || f[2].errnum != 0)
			goto out;
	}
	for (k = 0, total = 0; k <= ndays; k++) {
		c = x.count[k];
		x.count[k] = total;
		total += c;
	}
	x.ord = crm_xreallocarray(NULL, total + 1, 2 * sizeof(*x.ord));
	memcpy(x.cursor, x.count, ndays * sizeof(*x.cursor));
	x.fill = 1;
	for (i = 0; i < x.ncust; i++) {
		cust_life(&x, i, &l);
		cust_orders(&x, i, &l);
	}
	for (k = 0; k < ndays; k++)
		if (x.cursor[k] != x.count[k + 1])
			x.overflow = 1;
	if (x.overflow) {
		fprintf(stderr, "%s: internal error: orders changed between "
		    "passes\n", progname);
		goto out;
	}
	write_orders(&f[1], &x);
	rc = 0;
out:
	/* Only the first of several failures is reported. */
	failed = rc != 0 && !werr(f);
	for (k = 0; k < NELEM(names); k++) {
		if (out_close(&f[k], !failed) != 0) {
			rc = -1;
			failed = 1;
		}
	}
	free(f);
	ctx_release(&x);
	return rc;
}

/* Parse a decimal number of at most hi without locale or sign. */
static int
parse_num(const char *s, uint64_t hi, uint64_t *v)
{
	uint64_t n = 0, digit;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		digit = (uint64_t)(*s - '0');
		if (n > (hi - digit) / 10)
			return -1;
		n = n * 10 + digit;
	}
	*v = n;
	return 0;
}

static int
parse_date(const char *s, long *day)
{
	uint64_t y, m, d;
	char buf[5];

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	memcpy(buf, s, 4);
	buf[4] = '\0';
	if (parse_num(buf, 9999, &y) != 0 || y < 1900)
		return -1;
	memcpy(buf, s + 5, 2);
	buf[2] = '\0';
	if (parse_num(buf, 12, &m) != 0 || m < 1)
		return -1;
	memcpy(buf, s + 8, 2);
	if (parse_num(buf, 31, &d) != 0 || d < 1 ||
	    d > (uint64_t)days_in_month((int)y, (int)m))
		return -1;
	*day = days_from_civil((long)y, (int)m, (int)d);
	return 0;
}

static int
badarg(const char *what, const char *arg)
{
	fprintf(stderr, "%s: invalid %s '%s'\n", progname, what, arg);
	usage(stderr);
	return 2;
}

static void
opts_init(struct opts *o)
{
	o->customers = 2000;
	o->years = 3;
	o->seed = 1;
	o->end = days_from_civil(2026, 6, 30);
	o->plain = 0;
	o->quiet = 0;
	o->outdir = ".";
}

enum { OPT_END = 256, OPT_PLAIN };

/*
 * crm-sample writes customers.csv, orders.csv and interactions.csv: a
 * made-up but realistic CRM data set, the same for the same options on
 * every machine, for demonstrations and benchmarks.
 */
int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "customers", required_argument, NULL, 'c' },
		{ "end", required_argument, NULL, OPT_END },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "plain", no_argument, NULL, OPT_PLAIN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "years", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o;
	uint64_t v;
	const char *opt;
	int ch, rc;

	crm_set_oom_handler(oom);
	opts_init(&o);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":Vc:ho:qs:y:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'V':
			printf("%s %s\n", progname, CRM_VERSION);
			goto done;
		case 'c':
			if (parse_num(optarg, MAX_CUSTOMERS, &v) != 0 || v < 1)
				return badarg("number of customers", optarg);
			o.customers = (long)v;
			break;
		case 'h':
			usage(stdout);
			goto done;
		case 'o':
			if (*optarg == '\0')
				return badarg("output directory", optarg);
			o.outdir = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 's':
			if (parse_num(optarg, UINT64_MAX, &v) != 0)
				return badarg("seed", optarg);
			o.seed = v;
			break;
		case 'y':
			if (parse_num(optarg, MAX_YEARS, &v) != 0 || v < 1)
				return badarg("number of years", optarg);
			o.years = (int)v;
			break;
		case OPT_END:
			if (parse_date(optarg, &o.end) != 0)
				return badarg("end date", optarg);
			break;
		case OPT_PLAIN:
			o.plain = 1;
			break;
		default:
			opt = argv[optind - 1];
			if (ch == '?' && strncmp(opt, "--", 2) == 0 &&
			    strchr(opt, '=') != NULL)
				fprintf(stderr, "%s: option '%.*s' takes no "
				    "value\n", progname,
				    (int)(strchr(opt, '=') - opt), opt);
			else if (optopt > 0 && optopt < 128 &&
			    strncmp(opt, "--", 2) != 0)
				fprintf(stderr, "%s: %s '-%c'\n", progname,
				    ch == ':' ? "missing value for option" :
				    "unknown option", optopt);
			else
				fprintf(stderr, "%s: %s '%s'\n", progname,
				    ch == ':' ? "missing value for option" :
				    "unknown option", opt);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
		    argv[0]);
		usage(stderr);
		return 2;
	}
	rc = sample_run(&o) == 0 ? 0 : 1;
	return rc;
done:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: <stdout>: %s\n", progname,
		    strerror(errno));
		return 1;
	}
	return 0;
}
