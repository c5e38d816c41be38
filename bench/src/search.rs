//! `teahouse-bench search`: a generated corpus of mixed Chinese and English chat, sent
//! through the API (so it is indexed as real messages are), then `GET /search/messages`
//! at a fixed rate for each kind of query, with and without a room filter.
//!
//! The corpus: words drawn by Zipf's law (weight 1/rank) from a chat vocabulary ordered
//! by how common the words are, 3 to 15 words a message; 70 % of messages Chinese (words
//! run together, a few English words among them), 30 % English (a few Chinese words among
//! them). Message `i` is the same text on every run (its own seeded generator).
//! Queries are drawn evenly from the vocabulary, so common and rare terms are both asked.

use crate::{Load, client::Client, client::Error, measure, prefix, send_pipelined};
use rand::{Rng as _, SeedableRng as _, distr::Distribution as _, rngs::StdRng};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

/// Chat words, most common first.
const CHINESE: &str = "的 了 是 我 你 在 有 不 这 就 也 都 和 吗 呢 吧 啊 好 去 来 说 要 看 会 他 能 想 \
还 很 个 人 我们 今天 什么 没有 一下 现在 知道 时候 可以 大家 明天 已经 还是 问题 老师 同学 因为 所以 \
但是 然后 觉得 真的 一起 晚上 上午 下午 时间 地址 作业 考试 会议 项目 文件 图片 周末 吃饭 电影 北京 \
上海 收到 好的 哈哈 谢谢 辛苦 加油 广州 深圳 杭州 南京 成都 学校 公司 同事 朋友 工作 学习 开会 上课 \
下课 图书馆 食堂 宿舍 教室 实验室 报告 论文 数据 代码 服务器 数据库 测试 发布 版本 需求 设计 文档 链接 \
群里 消息 通知 提醒 记得 别忘了 不客气 没问题 恭喜 生日快乐 周末愉快 新年快乐 东边 西边 南边 北边 附近 \
楼下 门口 路口 地铁站 停车场 咖啡 奶茶 火锅 烧烤 外卖 快递 地铁 公交 高铁 机场 火车站 酒店 天气 下雨 \
太阳 空调 手机 电脑 键盘 耳机 充电器 密码 账号 登录 注册 头像 昵称 茶馆 喝茶 绿茶 红茶 乌龙茶 普洱 \
龙井 茶叶 茶杯 人工智能 机器学习 会议纪要 项目进度 期末考试 研究生院 软件工程 数据分析 前端开发 后端服务 \
性能测试 用户体验 产品经理 市场调研 年度总结 团队建设 羽毛球 篮球赛 足球 跑步 健身房 一路顺风 身体健康 \
万事如意 心想事成 学习资料 课程安排 实习机会 毕业设计 开题报告 签到 请假 报名 截止 日期 预算 发票 报销 \
合同 客户 供应商 采购 仓库 物流 订单 退款 售后 投诉 反馈 建议 意见 评论 点赞 转发 收藏 分享 直播 视频 \
音乐 游戏 小说 动漫 旅游 爬山 游泳 骑车 露营 拍照 相机 风景 日落 月亮 星星 春天 夏天 秋天 冬天 雪 风 \
云 雨伞 外套 围巾 手套 鞋子 帽子 眼镜 钥匙 钱包 银行卡 支付宝 微信 二维码 红包 转账 余额 利息 股票 基金";

const ENGLISH: &str = "the to and a of I you it is in that for we this on be have with do not can at \
are will so just about what but get all my meeting today tomorrow please thanks time file link code \
review deploy server release build test bug fix issue team project update report slides lunch coffee \
weekend morning tonight office remote call email address password login account photo image video \
music movie game football basketball running gym library exam homework deadline schedule calendar \
budget invoice customer design frontend backend database cache search index latency throughput \
benchmark kubernetes docker rust postgres redis nginx linux windows android iphone laptop keyboard \
monitor headphones shanghai beijing shenzhen hangzhou airport train hotel flight ticket weather rain \
sunny birthday congratulations welcome sorry okay great awesome cool interesting";

struct Corpus {
    chinese: Vec<&'static str>,
    english: Vec<&'static str>,
    chinese_zipf: rand::distr::weighted::WeightedIndex<f64>,
    english_zipf: rand::distr::weighted::WeightedIndex<f64>,
}

fn zipf(n: usize) -> Result<rand::distr::weighted::WeightedIndex<f64>, Error> {
    Ok(rand::distr::weighted::WeightedIndex::new(
        (1..=n).map(|rank| 1.0 / rank as f64),
    )?)
}

impl Corpus {
    fn new() -> Result<Self, Error> {
        let chinese: Vec<_> = CHINESE.split_whitespace().collect();
        let english: Vec<_> = ENGLISH.split_whitespace().collect();
        Ok(Self {
            chinese_zipf: zipf(chinese.len())?,
            english_zipf: zipf(english.len())?,
            chinese,
            english,
        })
    }

    /// Message `i`'s text.
    fn message(&self, i: usize) -> String {
        let mut rng = StdRng::seed_from_u64(i as u64);
        let words = rng.random_range(3..=15);
        let chinese = rng.random_bool(0.7);
        let mut out = String::new();
        let mut last_latin = false;
        for n in 0..words {
            let foreign = rng.random_bool(if chinese { 0.08 } else { 0.05 });
            let (word, latin) = if chinese != foreign {
                (self.chinese[self.chinese_zipf.sample(&mut rng)], false)
            } else {
                (self.english[self.english_zipf.sample(&mut rng)], true)
            };
            if n > 0 && (latin || last_latin || !chinese) {
                out.push(' ');
            } else if n > 0 && rng.random_bool(0.1) {
                out.push('，');
            }
            out.push_str(word);
            last_latin = latin;
        }
        if chinese && rng.random_bool(0.5) {
            out.push('。');
        }
        out
    }

    /// Queries of one kind, drawn evenly.
    fn queries(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::Han1 => {
                let mut chars: Vec<String> = self
                    .chinese
                    .iter()
                    .flat_map(|w| w.chars())
                    .map(String::from)
                    .collect();
                chars.sort();
                chars.dedup();
                chars
            }
            Kind::Han2 | Kind::Han4 => {
                let len = if kind == Kind::Han2 { 2 } else { 4 };
                self.chinese
                    .iter()
                    .filter(|w| w.chars().count() == len)
                    .map(|w| w.to_string())
                    .collect()
            }
            Kind::English => self.english.iter().map(|w| w.to_string()).collect(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Han1,
    Han2,
    Han4,
    English,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Han1 => "1 Chinese character",
            Kind::Han2 => "2 Chinese characters",
            Kind::Han4 => "4 Chinese characters",
            Kind::English => "an English word",
        }
    }
}

const ROOM_PREFIX: &str = "search-bench-";

pub async fn run(
    client: &Client,
    messages: usize,
    rooms: usize,
    account: Option<String>,
    rate: f64,
    seconds: f64,
) -> Result<bool, Error> {
    let corpus = Arc::new(Corpus::new()?);
    let (username, mut token) = match account {
        Some(name) => {
            let session = client
                .login(&name, &format!("{name}-bench-oolong-leaves"))
                .await?;
            (name, session.access_token)
        }
        None => {
            let account = client.register(&prefix()).await?;
            (account.username, account.access)
        }
    };
    let mut mine: Vec<_> = client
        .my_rooms(&token)
        .await?
        .into_iter()
        .filter(|r| r.room.name.starts_with(ROOM_PREFIX))
        .collect();
    for n in mine.len()..rooms {
        mine.push(
            client
                .create_room(&token, &format!("{ROOM_PREFIX}{n}"))
                .await?,
        );
    }
    let room_ids: Vec<i64> = mine.iter().map(|r| r.room.id.0).collect();
    let mut clean = true;
    if messages > 0 {
        println!(
            "search: seeding {messages} messages into {} rooms (pipelined, 64 in flight)",
            room_ids.len()
        );
        let body_corpus = corpus.clone();
        let load = Load {
            posts: mine.iter().map(|r| r.default_post_id.0).collect(),
            token: token.clone(),
            account: Some(crate::client::Account {
                password: format!("{username}-bench-oolong-leaves"),
                username: username.clone(),
                access: token.clone(),
            }),
            body: Arc::new(move |i| body_corpus.message(i)),
        };
        let sent = send_pipelined(client, load, messages, 64).await?;
        token = sent.token;
        clean &= sent.errors == 0;
        println!(
            "search: seeded in {:.0} s = {:.0} msgs/s with indexing; errors {}; ack {}",
            sent.seconds,
            messages as f64 / sent.seconds,
            sent.errors,
            measure::summary(&sent.latency)
        );
        println!("search: reuse with --messages 0 --account {username}");
        // A fresh login: the seed may have run past the access token's life, and the
        // queries below must not.
        token = client
            .login(&username, &format!("{username}-bench-oolong-leaves"))
            .await
            .map(|s| s.access_token)
            .unwrap_or(token);
    }
    println!("search: example messages:");
    for i in [0, 1, 2, 3] {
        println!("  {}", corpus.message(i));
    }
    for kind in [Kind::Han1, Kind::Han2, Kind::Han4, Kind::English] {
        for filtered in [false, true] {
            let outcome = queries(
                client,
                &token,
                &corpus.queries(kind),
                filtered.then_some(room_ids.as_slice()),
                rate,
                seconds,
            )
            .await?;
            clean &= outcome.errors == 0;
            println!(
                "search: {:<22} {:<14} {} queries at {rate:.0}/s; latency {}; hits/page {:.1}, none {:.0} %; errors {}",
                kind.label(),
                if filtered { "one room" } else { "all rooms" },
                outcome.latency.len(),
                measure::summary(&outcome.latency),
                outcome.hits as f64 / outcome.latency.len().max(1) as f64,
                outcome.empty as f64 * 100.0 / outcome.latency.len().max(1) as f64,
                outcome.errors
            );
        }
    }
    Ok(clean)
}

struct Outcome {
    latency: hdrhistogram::Histogram<u64>,
    hits: u64,
    empty: u64,
    errors: u64,
}

/// Queries drawn from `pool` in an open loop (`measure::open_loop`).
async fn queries(
    client: &Client,
    token: &str,
    pool: &[String],
    rooms: Option<&[i64]>,
    rate: f64,
    seconds: f64,
) -> Result<Outcome, Error> {
    let mut rng = StdRng::seed_from_u64(7);
    let errors = Arc::new(AtomicU64::new(0));
    let tasks = measure::open_loop(rate, seconds, |scheduled| {
        let q = pool[rng.random_range(0..pool.len())].clone();
        let room = rooms.map(|r| r[rng.random_range(0..r.len())]);
        let (client, token, errors) = (client.clone(), token.to_owned(), errors.clone());
        async move {
            match client.search(&token, &q, room).await {
                Ok(page) => Some((
                    Instant::now()
                        .saturating_duration_since(scheduled)
                        .as_micros() as u64,
                    page.hits.len() as u64,
                )),
                Err(e) => {
                    if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                        eprintln!("search: {q:?} failed: {e}");
                    }
                    None
                }
            }
        }
    })
    .await;
    let mut outcome = Outcome {
        latency: measure::histogram(),
        hits: 0,
        empty: 0,
        errors: 0,
    };
    for task in tasks {
        if let Some((micros, hits)) = task.await? {
            let _ = outcome.latency.record(micros.max(1));
            outcome.hits += hits;
            outcome.empty += u64::from(hits == 0);
        }
    }
    outcome.errors = errors.load(Ordering::Relaxed);
    Ok(outcome)
}
