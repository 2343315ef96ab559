//! Where lines break, once the size and the number of lines are chosen: the
//! way a typesetter sets a headline, not the way a text box wraps.
//!
//! Among every way of putting the words on that many lines within the
//! measure, [`choose`] takes the one with the least cost, where the cost
//! is the lines' spread around their mean width (even lines) plus what each
//! break says about the phrase it cuts:
//! - a line that ends at a comma, a full stop or a dash ends a phrase
//!   (cheaper);
//! - a line that starts with a preposition, conjunction or auxiliary verb
//!   starts a phrase ("Spring blend / is here", not "Spring / blend is
//!   here"); one that *ends* with an article or possessive cuts a noun
//!   phrase ("across the / city" is dear), one that ends with a preposition
//!   or conjunction leaves a phrase open (less dear);
//! - a break between two capitalised words splits a name;
//! - in Hindi a line never starts with a postposition (का, की, में, तक …):
//!   it belongs to the noun before it (Hindi writes them as separate words);
//! - the last line is not a lone word when another break exists, nor under
//!   40 % of the longest line.
//!
//! The function-word lists cover English, French, Spanish, German, Italian
//! and Portuguese (by `lang` when the variant has one, all of them when it
//! has not); other scripts rely on the shaping layer's break opportunities
//! (phrases in Japanese, keep-all in Korean) and on even lines.

/// One unbreakable run of the paragraph (a word, or a phrase in Japanese).
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    /// Its characters, without the space after it.
    pub text: &'a str,
    /// Its width, in the same unit as the measure.
    pub width: f32,
    /// The width of the space after it.
    pub space_after: f32,
}

/// Where each line starts: indices into the pieces, the first always 0.
pub type Starts = Vec<usize>;

/// The best way of putting `pieces` on exactly `count` lines no wider than
/// `max`, and its cost; `None` when there is none (a piece wider than
/// `max`, or fewer pieces than lines).
pub fn choose(
    pieces: &[Piece],
    lang: Option<&str>,
    max: f32,
    count: usize,
) -> Option<(Starts, f32)> {
    let n = pieces.len();
    if count == 0 || count > n || pieces.iter().any(|p| p.width > max) {
        return None;
    }
    let words = Words::for_lang(lang);
    // The width of the line made of pieces i..j.
    let width = |i: usize, j: usize| -> f32 {
        pieces[i..j].iter().map(|p| p.width).sum::<f32>()
            + pieces[i..j - 1].iter().map(|p| p.space_after).sum::<f32>()
    };
    let mean = width(0, n) / count as f32;
    let spread = |w: f32| ((w - mean) / mean).powi(2);
    // The cost of breaking before piece i.
    let break_cost = |i: usize| words.break_cost(pieces[i - 1].text, pieces[i].text);

    // best[k][j]: the least cost of setting pieces 0..j on k+1 lines
    // (excluding the last line's own rules), and where its last line starts.
    let mut best = vec![vec![(f32::INFINITY, 0usize); n + 1]; count];
    for (j, first) in best[0].iter_mut().enumerate().skip(1) {
        let w = width(0, j);
        if w <= max {
            *first = (spread(w), 0);
        }
    }
    for k in 1..count {
        for j in k + 1..=n {
            for i in k..j {
                let (before, _) = best[k - 1][i];
                let w = width(i, j);
                if before.is_finite() && w <= max {
                    let cost = before + spread(w) + break_cost(i);
                    if cost < best[k][j].0 {
                        best[k][j] = (cost, i);
                    }
                }
            }
        }
    }
    // The last line's own rules need the whole set of lines, so every
    // start of the last line is judged with them, best first.
    let last = count - 1;
    let candidates = (last..n).filter_map(|i| {
        let before = if last == 0 {
            (i == 0).then_some(0.0)?
        } else {
            let (cost, _) = best[last - 1][i];
            cost.is_finite().then_some(cost + break_cost(i))?
        };
        let w = width(i, n);
        (w <= max).then_some((i, before + spread(w)))
    });
    let mut chosen: Option<(Starts, f32)> = None;
    for (i, cost) in candidates {
        // Back from the last line: best[k][j] says where the line ending
        // at piece j starts when k+1 lines hold pieces 0..j.
        let mut starts = vec![i];
        let mut j = i;
        for k in (0..last).rev() {
            j = best[k][j].1;
            starts.push(j);
        }
        starts.reverse();
        let cost = cost + last_line_cost(pieces, &starts, &width);
        if chosen.as_ref().is_none_or(|(_, c)| cost < *c) {
            chosen = Some((starts, cost));
        }
    }
    chosen
}

/// A lone word on the last line (when the paragraph has more than two) and
/// a last line under 40 % of the longest are what readers see as a widow.
fn last_line_cost(pieces: &[Piece], starts: &[usize], width: &dyn Fn(usize, usize) -> f32) -> f32 {
    let n = pieces.len();
    let Some(&last) = starts.last() else {
        return 0.0;
    };
    if starts.len() < 2 {
        return 0.0;
    }
    let ends = starts.iter().skip(1).copied().chain([n]);
    let longest = starts
        .iter()
        .zip(ends)
        .map(|(&i, j)| width(i, j))
        .fold(0f32, f32::max);
    let mut cost = 0.0;
    if last == n - 1 && n > 2 {
        cost += LONE_LAST_WORD;
    }
    if width(last, n) < 0.4 * longest {
        cost += SHORT_LAST_LINE;
    }
    cost
}

/// Costs, on the scale of the spread (a line 30 % off the mean costs 0.09).
const PHRASE_END: f32 = -0.2;
const PHRASE_START: f32 = -0.12;
const OPEN_NOUN_PHRASE: f32 = 0.5;
const OPEN_PHRASE: f32 = 0.25;
const SPLIT_NAME: f32 = 0.3;
const POSTPOSITION: f32 = 2.0;
const LONE_LAST_WORD: f32 = 0.3;
const SHORT_LAST_LINE: f32 = 1.0;

/// The function words of the copy's language(s).
struct Words {
    lists: Vec<&'static Lists>,
    /// Words that belong to the word before them (Hindi postpositions).
    postpositions: &'static [&'static str],
}

impl Words {
    fn for_lang(lang: Option<&str>) -> Words {
        let primary = lang.map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase());
        let lists = LATIN
            .iter()
            .filter(|l| primary.as_deref().is_none_or(|p| p == l.lang))
            .collect();
        let postpositions = if primary.as_deref() == Some("hi") {
            HINDI_POSTPOSITIONS
        } else {
            &[]
        };
        Words {
            lists,
            postpositions,
        }
    }

    fn break_cost(&self, before: &str, after: &str) -> f32 {
        let key = |w: &str| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'')
                .to_lowercase()
        };
        let (b, a) = (key(before), key(after));
        let any =
            |pick: fn(&Lists) -> &[&str], w: &str| self.lists.iter().any(|l| pick(l).contains(&w));
        if self.postpositions.contains(&a.as_str()) {
            return POSTPOSITION;
        }
        if before.ends_with([',', '.', ';', ':', '!', '?', '—', '–', '،', '।']) {
            PHRASE_END
        } else if any(|l| l.determiners, &b) {
            OPEN_NOUN_PHRASE
        } else if any(|l| l.links, &b) {
            OPEN_PHRASE
        } else if any(|l| l.starters, &a) || any(|l| l.links, &a) || any(|l| l.determiners, &a) {
            PHRASE_START
        } else if capitalised(before) && capitalised(after) {
            SPLIT_NAME
        } else {
            0.0
        }
    }
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Per language: determiners (a line ending with one has cut it from its
/// noun), prepositions and conjunctions (a line should not end with them
/// either, but may: "delivered across / the city" reads), and words that
/// start a phrase without opening one (auxiliaries, relatives: a line may
/// start with them).
struct Lists {
    lang: &'static str,
    determiners: &'static [&'static str],
    links: &'static [&'static str],
    starters: &'static [&'static str],
}

const LATIN: &[Lists] = &[
    Lists {
        lang: "en",
        determiners: &[
            "a", "an", "the", "our", "your", "my", "their", "his", "her", "its", "this", "that",
            "these", "those", "no", "every",
        ],
        links: &[
            "of", "in", "on", "at", "to", "for", "by", "with", "from", "into", "over", "under",
            "until", "across", "per", "and", "or", "but", "nor",
        ],
        starters: &[
            "is", "are", "was", "were", "be", "will", "can", "has", "have", "who", "which",
            "while", "when", "now", "today",
        ],
    },
    Lists {
        lang: "fr",
        determiners: &[
            "le", "la", "les", "l’", "l'", "un", "une", "des", "du", "ce", "cette", "ces", "son",
            "sa", "ses", "notre", "nos", "votre", "vos", "mon", "ma", "mes",
        ],
        links: &[
            "de",
            "d’",
            "d'",
            "à",
            "au",
            "aux",
            "en",
            "et",
            "ou",
            "dès",
            "pour",
            "par",
            "sur",
            "avec",
            "dans",
            "sans",
            "jusqu’au",
            "jusqu’à",
        ],
        starters: &["est", "sont", "qui", "que", "avant", "après"],
    },
    Lists {
        lang: "es",
        determiners: &[
            "el", "la", "los", "las", "un", "una", "unos", "unas", "su", "sus", "nuestro",
            "nuestra", "tu",
        ],
        links: &[
            "de", "del", "a", "al", "en", "y", "o", "con", "por", "para", "sin",
        ],
        starters: &["es", "son", "que", "hasta", "desde"],
    },
    Lists {
        lang: "de",
        determiners: &[
            "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "unser",
            "unsere", "ihr", "ihre",
        ],
        links: &[
            "und", "oder", "mit", "für", "von", "zu", "zum", "zur", "im", "am", "an", "auf", "aus",
            "bei", "bis",
        ],
        starters: &["ist", "sind", "wird", "jetzt", "heute"],
    },
    Lists {
        lang: "it",
        determiners: &["il", "lo", "la", "i", "gli", "le", "un", "una"],
        links: &[
            "di", "del", "della", "a", "al", "da", "in", "nel", "con", "su", "per", "e", "o",
        ],
        starters: &["è", "sono", "che"],
    },
    Lists {
        lang: "pt",
        determiners: &["o", "a", "os", "as", "um", "uma", "seu", "sua"],
        links: &[
            "de", "do", "da", "dos", "das", "em", "no", "na", "e", "ou", "com", "por", "para",
            "sem",
        ],
        starters: &["é", "são", "que", "até"],
    },
];

/// Postpositions and case markers that follow their noun as a separate
/// word: a line starting with one has cut it from its noun.
const HINDI_POSTPOSITIONS: &[&str] = &[
    "का",
    "की",
    "के",
    "को",
    "में",
    "से",
    "पर",
    "ने",
    "तक",
    "लिए",
    "वाला",
    "वाली",
    "वाले",
    "साथ",
    "द्वारा",
    "भी",
    "ही",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces of `text` split at spaces, each character 1 wide.
    fn pieces(text: &str) -> Vec<Piece<'_>> {
        text.split(' ')
            .map(|w| Piece {
                text: w,
                width: w.chars().count() as f32,
                space_after: 1.0,
            })
            .collect()
    }

    fn lines(text: &str, lang: Option<&str>, max: f32, count: usize) -> Vec<String> {
        let p = pieces(text);
        let (starts, _) = choose(&p, lang, max, count).expect("a way to break");
        let ends = starts.iter().skip(1).copied().chain([p.len()]);
        starts
            .iter()
            .zip(ends)
            .map(|(&i, j)| p[i..j].iter().map(|p| p.text).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn a_line_starts_a_phrase_rather_than_splitting_a_noun_phrase() {
        assert_eq!(
            lines("Spring blend is here", None, 14.0, 2),
            ["Spring blend", "is here"]
        );
        assert_eq!(
            lines(
                "Free delivery on orders over €40 until 31 August.",
                Some("en"),
                30.0,
                2
            ),
            ["Free delivery on orders", "over €40 until 31 August."]
        );
    }

    #[test]
    fn a_comma_is_where_a_line_ends_when_it_can() {
        assert_eq!(
            lines(
                "Bouquets noués main, livrés en ville avant midi.",
                Some("fr"),
                30.0,
                2
            ),
            ["Bouquets noués main,", "livrés en ville avant midi."]
        );
    }

    #[test]
    fn no_lone_or_short_last_line_when_another_break_exists() {
        let set = lines("Fresh roasted coffee delivered to your door", None, 30.0, 2);
        assert_eq!(set, ["Fresh roasted coffee", "delivered to your door"]);
        assert_eq!(
            lines("Summer is in full bloom", None, 14.0, 2),
            ["Summer is", "in full bloom"]
        );
    }

    #[test]
    fn a_hindi_postposition_stays_with_its_noun() {
        let set = lines(
            "हाथ से बँधे गुलदस्ते, दोपहर तक पूरे शहर में पहुँचाए जाते हैं।",
            Some("hi"),
            40.0,
            2,
        );
        assert!(
            set.iter()
                .all(|l| !l.starts_with("तक") && !l.starts_with("में")),
            "{set:?}"
        );
    }

    #[test]
    fn none_when_a_piece_is_wider_than_the_measure_or_lines_outnumber_pieces() {
        assert!(choose(&pieces("Extraordinary"), None, 5.0, 1).is_none());
        assert!(choose(&pieces("Two words"), None, 20.0, 3).is_none());
        assert_eq!(
            choose(&pieces("Two words"), None, 20.0, 1).map(|c| c.0),
            Some(vec![0])
        );
    }
}
