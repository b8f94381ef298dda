//! Spec → `Protocol`. Each check names what is wrong and where (a byte span in one file, turned
//! into line and column by `load.rs`): negative or overlapping windows, unknown ids, sources
//! that do not exist, empty routines.

use std::{collections::BTreeMap, ops::Range};

use toml::Spanned;

use super::{spec::*, *};
use crate::profile::Fitzpatrick;

/// Until when a retinoid and an exfoliating acid stay on separate evenings when a protocol does
/// not say: the end of the default's "one active at a time" tip (guide, "Pause on Active
/// Ingredients"), two weeks after treatment.
const DEFAULT_RETINOID_AND_ACID_APART_UNTIL: u32 = 336;

/// A validation failure: a message and where it points, in the file with index `file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Index of the file in the set being loaded.
    pub file: usize,
    /// Byte span in that file.
    pub span: Range<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// What validating one section needs: the file it came from and the known sources.
/// Other modules (triage) use it to validate their own sections the same way.
pub struct ValidationContext<'a> {
    file: usize,
    sources: &'a BTreeMap<String, Source>,
}

impl<'a> ValidationContext<'a> {
    /// A context for validating a section of file number `file` against `sources`.
    pub fn new(file: usize, sources: &'a BTreeMap<String, Source>) -> Self {
        ValidationContext { file, sources }
    }

    /// A failure at `span` in the current file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file,
            span,
            message: message.into(),
        }
    }

    /// Resolves a source id, or fails naming it.
    pub fn source(&self, id: &Spanned<String>) -> Result<SourceRef, SpecError> {
        match self.sources.get(id.get_ref()) {
            Some(source) => Ok(SourceRef {
                id: source.id.clone(),
                citation: source.citation(),
            }),
            None => Err(self.error(
                id.span(),
                format!("unknown source '{}': add it under [sources]", id.get_ref()),
            )),
        }
    }

    /// A number of hours that must not be negative (nor absurdly large).
    pub fn hours(&self, value: &Spanned<i64>) -> Result<Hours, SpecError> {
        let hours = *value.get_ref();
        if hours < 0 {
            return Err(self.error(value.span(), format!("{hours} hours is negative")));
        }
        u32::try_from(hours)
            .ok()
            .filter(|h| *h <= 24 * 366 * 10)
            .map(Hours)
            .ok_or_else(|| {
                self.error(
                    value.span(),
                    format!("{hours} hours is more than ten years"),
                )
            })
    }

    /// An optional window of hours; `from` defaults to 0 and must come before `until`.
    pub fn window(
        &self,
        from: Option<&Spanned<i64>>,
        until: Option<&Spanned<i64>>,
    ) -> Result<Window, SpecError> {
        let start = from
            .map(|f| self.hours(f))
            .transpose()?
            .unwrap_or(Hours::ZERO);
        let end = until.map(|u| self.hours(u)).transpose()?;
        if let (Some(end), Some(until)) = (end, until)
            && end <= start
        {
            return Err(self.error(
                until.span(),
                format!("window ends at {end} but starts at {start}: it must end after it starts"),
            ));
        }
        Ok(Window {
            from: start,
            until: end,
        })
    }

    /// What a person reads, trimmed; an empty text is refused (a clinic's file must not blank
    /// out a notice such as the emergency guidance).
    pub fn readable(&self, text: &Spanned<String>) -> Result<String, SpecError> {
        let trimmed = text.get_ref().trim();
        if trimmed.is_empty() {
            return Err(self.error(
                text.span(),
                "the text is empty: every text a person reads must say something",
            ));
        }
        Ok(trimmed.to_owned())
    }

    /// `value`, which must not be in `seen` yet (then it is): "area 'face' is listed twice".
    fn first_time<T: Copy + PartialEq + std::fmt::Display>(
        &self,
        seen: &mut Vec<T>,
        value: &Spanned<T>,
        what: &str,
    ) -> Result<T, SpecError> {
        let v = *value.get_ref();
        if seen.contains(&v) {
            return Err(self.error(value.span(), format!("{what} '{v}' is listed twice")));
        }
        seen.push(v);
        Ok(v)
    }

    /// A text with its source and window.
    pub fn text(&self, spec: &TextSpec) -> Result<Text, SpecError> {
        Ok(Text {
            text: self.readable(&spec.text)?,
            source: self.source(&spec.source)?,
            window: self.window(spec.from_hours.as_ref(), spec.until_hours.as_ref())?,
        })
    }

    fn texts(&self, specs: &[TextSpec]) -> Result<Vec<Text>, SpecError> {
        specs.iter().map(|s| self.text(s)).collect()
    }

    fn category(&self, id: &Spanned<String>) -> Result<Category, SpecError> {
        id.get_ref()
            .parse()
            .map_err(|e: crate::vocabulary::UnknownId| self.error(id.span(), e.to_string()))
    }

    fn fitzpatrick(&self, values: &[Spanned<i64>]) -> Result<Vec<Fitzpatrick>, SpecError> {
        values
            .iter()
            .map(|v| {
                u8::try_from(*v.get_ref())
                    .ok()
                    .and_then(|n| Fitzpatrick::try_from(n).ok())
                    .ok_or_else(|| {
                        self.error(
                            v.span(),
                            format!("Fitzpatrick type {} is not 1-6", v.get_ref()),
                        )
                    })
            })
            .collect()
    }
}

/// One section and the file it was found in.
pub(super) struct Section<T> {
    pub file: usize,
    pub value: Spanned<T>,
}

/// The sections of a protocol gathered from one or more files (each at most once).
#[derive(Default)]
pub(super) struct Sections {
    pub protocol: Option<Section<MetaSpec>>,
    pub sources: Option<Section<BTreeMap<String, SourceSpec>>>,
    pub notices: Option<Section<NoticesSpec>>,
    pub phases: Option<Section<Vec<PhaseSpec>>>,
    pub restrictions: Option<Section<Vec<RestrictionSpec>>>,
    pub recommended: Option<Section<Vec<RecommendationSpec>>>,
    pub skin_cautions: Option<Section<Vec<SkinCautionSpec>>>,
    pub skin_types: Option<Section<Vec<SkinTypeSpec>>>,
    pub areas: Option<Section<Vec<AreaSpec>>>,
    pub fitzpatrick: Option<Section<Vec<FitzpatrickSpec>>>,
    pub application: Option<Section<Vec<TextSpec>>>,
    pub faq: Option<Section<Vec<FaqSpec>>>,
    pub myths: Option<Section<Vec<MythSpec>>>,
    pub series: Option<Section<SeriesSpec>>,
    pub reintroduction: Option<Section<ReintroductionSpec>>,
    pub triage: Option<Section<crate::triage::TriageSpec>>,
    pub expected_course: Option<Section<Vec<CourseSpec>>>,
}

/// Where to point when a whole section is missing: the start of the last file.
pub(super) struct MissingAt {
    pub file: usize,
}

fn required<'s, T>(
    section: &'s Option<Section<T>>,
    name: &str,
    missing: &MissingAt,
) -> Result<&'s Section<T>, SpecError> {
    section.as_ref().ok_or_else(|| SpecError {
        file: missing.file,
        span: 0..0,
        message: format!("the protocol has no [{name}] section"),
    })
}

fn ctx<'a, T>(
    section: &Section<T>,
    sources: &'a BTreeMap<String, Source>,
) -> ValidationContext<'a> {
    ValidationContext {
        file: section.file,
        sources,
    }
}

/// Each entry of an optional list section, validated by `entry` with the section's context;
/// an absent section is an empty list.
fn each_entry<T, U>(
    section: &Option<Section<Vec<T>>>,
    sources: &BTreeMap<String, Source>,
    mut entry: impl FnMut(&ValidationContext<'_>, &T) -> Result<U, SpecError>,
) -> Result<Vec<U>, SpecError> {
    let Some(section) = section else {
        return Ok(Vec::new());
    };
    let c = ctx(section, sources);
    section
        .value
        .get_ref()
        .iter()
        .map(|item| entry(&c, item))
        .collect()
}

/// Validates the gathered sections into a `Protocol`.
pub(super) fn validate(sections: Sections, missing: MissingAt) -> Result<Protocol, SpecError> {
    let sources = validate_sources(required(&sections.sources, "sources", &missing)?)?;
    let meta_section = required(&sections.protocol, "protocol", &missing)?;
    let meta = meta_section.value.get_ref();
    let meta_ctx = ctx(meta_section, &sources);

    let notices_section = required(&sections.notices, "notices", &missing)?;
    let n = ctx(notices_section, &sources);
    let notices_spec = notices_section.value.get_ref();
    let notices = Notices {
        emergency: n.text(&notices_spec.emergency)?,
        disclaimer: n.text(&notices_spec.disclaimer)?,
        contact: n.text(&notices_spec.contact)?,
    };

    let restrictions = validate_restrictions(
        required(&sections.restrictions, "restrictions", &missing)?,
        &sources,
    )?;
    let phases = validate_phases(
        required(&sections.phases, "phases", &missing)?,
        &sources,
        &restrictions,
    )?;

    let recommended = each_entry(&sections.recommended, &sources, |c, r| {
        Ok(Recommendation {
            category: c.category(&r.id)?,
            from: c.hours(&r.from_hours)?,
            reason: c.readable(&r.reason)?,
            source: c.source(&r.source)?,
        })
    })?;

    let skin_cautions = each_entry(&sections.skin_cautions, &sources, |c, s| {
        if s.skin.is_empty() {
            return Err(c.error(s.id.span(), "a skin caution needs at least one skin type"));
        }
        if s.min_rating.is_some_and(|r| r > 5) {
            return Err(c.error(s.id.span(), "min_rating must be 0-5"));
        }
        Ok(SkinCaution {
            category: c.category(&s.id)?,
            skin: s.skin.clone(),
            min_rating: s.min_rating,
            reason: c.readable(&s.reason)?,
            source: c.source(&s.source)?,
        })
    })?;

    let mut seen_skin = Vec::new();
    let skin_types = each_entry(&sections.skin_types, &sources, |c, s| {
        let skin = c.first_time(&mut seen_skin, &s.id, "skin type")?;
        Ok(SkinTypeAdvice {
            skin,
            summary: c.readable(&s.summary)?,
            source: c.source(&s.source)?,
            tips: c.texts(&s.tips)?,
        })
    })?;

    let mut seen_area = Vec::new();
    let areas = each_entry(&sections.areas, &sources, |c, a| {
        let area = c.first_time(&mut seen_area, &a.id, "area")?;
        Ok(AreaAdvice {
            area,
            name: c.readable(&a.name)?,
            tips: c.texts(&a.tips)?,
        })
    })?;

    let fitzpatrick_span = sections.fitzpatrick.as_ref().map(|s| s.value.span());
    let fitzpatrick = each_entry(&sections.fitzpatrick, &sources, |c, f| {
        if f.types.is_empty() {
            return Err(c.error(
                fitzpatrick_span.clone().unwrap_or_default(),
                "a [[fitzpatrick]] group needs types",
            ));
        }
        Ok(FitzpatrickAdvice {
            types: c.fitzpatrick(&f.types)?,
            tips: c.texts(&f.tips)?,
        })
    })?;

    let application = each_entry(&sections.application, &sources, |c, t| c.text(t))?;

    let faq = each_entry(&sections.faq, &sources, |c, f| {
        Ok(Faq {
            question: c.readable(&f.question)?,
            answer: c.readable(&f.answer)?,
            source: c.source(&f.source)?,
        })
    })?;
    let myths = each_entry(&sections.myths, &sources, |c, m| {
        Ok(Myth {
            myth: c.readable(&m.myth)?,
            fact: c.readable(&m.fact)?,
            source: c.source(&m.source)?,
        })
    })?;

    let series_section = required(&sections.series, "series", &missing)?;
    let c = ctx(series_section, &sources);
    let s = series_section.value.get_ref();
    let interval = *s.interval_weeks.get_ref();
    if s.min_interval_weeks < 1
        || s.min_interval_weeks > s.max_interval_weeks
        || !(s.min_interval_weeks..=s.max_interval_weeks).contains(&interval)
    {
        return Err(c.error(
            s.interval_weeks.span(),
            format!(
                "interval_weeks {interval} must lie within min_interval_weeks..=max_interval_weeks ({}..={}), and the minimum must be at least 1",
                s.min_interval_weeks, s.max_interval_weeks
            ),
        ));
    }
    let series = Series {
        interval_weeks: interval as u32,
        min_interval_weeks: s.min_interval_weeks as u32,
        max_interval_weeks: s.max_interval_weeks as u32,
        source: c.source(&s.source)?,
    };

    let reintro_section = required(&sections.reintroduction, "reintroduction", &missing)?;
    let c = ctx(reintro_section, &sources);
    let r = reintro_section.value.get_ref();
    let every = c.hours(&r.new_product_every_hours)?;
    if every == Hours::ZERO {
        return Err(c.error(
            r.new_product_every_hours.span(),
            "new_product_every_hours must be at least 1",
        ));
    }
    let source = c.source(&r.source)?;
    let pause_after_flag = match &r.pause_after_flag_hours {
        Some(hours) => c.hours(hours)?,
        None => every,
    };
    let mut active_strength: Vec<Category> = Vec::new();
    for id in &r.active_strength {
        let category = c.category(id)?;
        if category.group() != crate::category::CategoryGroup::Paused {
            return Err(c.error(
                id.span(),
                format!("active_strength lists '{category}', which is not a paused active"),
            ));
        }
        if active_strength.contains(&category) {
            return Err(c.error(
                id.span(),
                format!("active_strength lists '{category}' twice"),
            ));
        }
        active_strength.push(category);
    }
    let reintroduction = Reintroduction {
        new_product_every: every,
        pause_after_flag,
        pause_source: match &r.pause_source {
            Some(id) => c.source(id)?,
            None => source.clone(),
        },
        active_strength,
        retinoid_and_acid_apart_until: match &r.retinoid_and_acid_apart_until_hours {
            Some(hours) => c.hours(hours)?,
            None => Hours(DEFAULT_RETINOID_AND_ACID_APART_UNTIL),
        },
        actives_source: match &r.actives_source {
            Some(id) => c.source(id)?,
            None => source.clone(),
        },
        source,
    };

    let triage_section = required(&sections.triage, "triage", &missing)?;
    let triage = crate::triage::TriageRules::from_spec(
        triage_section.value.get_ref(),
        &ctx(triage_section, &sources),
    )?;

    let expected_course = match &sections.expected_course {
        Some(section) => super::course::validate_course(
            &ctx(section, &sources),
            section.value.get_ref(),
            &triage,
        )?,
        None => Vec::new(),
    };

    Ok(Protocol {
        id: meta.id.trim().to_owned(),
        version: meta.version.trim().to_owned(),
        title: meta_ctx.readable(&meta.title)?,
        procedure: meta_ctx.readable(&meta.procedure)?,
        source: meta_ctx.source(&meta.source)?,
        sources,
        notices,
        phases,
        restrictions,
        recommended,
        skin_cautions,
        skin_types,
        areas,
        fitzpatrick,
        application,
        faq,
        myths,
        series,
        reintroduction,
        triage,
        expected_course,
    })
}

fn validate_sources(
    section: &Section<BTreeMap<String, SourceSpec>>,
) -> Result<BTreeMap<String, Source>, SpecError> {
    let mut sources = BTreeMap::new();
    let no_sources = BTreeMap::new();
    let c = ctx(section, &no_sources);
    for (id, spec) in section.value.get_ref() {
        let kind = match spec.kind.get_ref().as_str() {
            "guide" => SourceKind::Guide,
            "reference" => SourceKind::Reference,
            other => {
                return Err(c.error(
                    spec.kind.span(),
                    format!("source kind '{other}' must be 'guide' or 'reference'"),
                ));
            }
        };
        sources.insert(
            id.clone(),
            Source {
                id: id.clone(),
                kind,
                title: c.readable(&spec.title)?,
                detail: spec.detail.clone(),
                url: spec.url.clone(),
            },
        );
    }
    Ok(sources)
}

fn validate_restrictions(
    section: &Section<Vec<RestrictionSpec>>,
    sources: &BTreeMap<String, Source>,
) -> Result<Vec<Restriction>, SpecError> {
    let c = ctx(section, sources);
    let mut restrictions: Vec<Restriction> = Vec::new();
    for spec in section.value.get_ref() {
        let id = spec.id.get_ref().trim().to_owned();
        let kind = match spec.kind.get_ref().as_str() {
            "activity" => RestrictionKind::Activity,
            "ingredient" => RestrictionKind::Ingredient,
            "product" => RestrictionKind::Product,
            other => {
                return Err(c.error(
                    spec.kind.span(),
                    format!("restriction kind '{other}' must be activity, ingredient or product"),
                ));
            }
        };
        let category = match kind {
            RestrictionKind::Ingredient => Some(c.category(&spec.id)?),
            _ => None,
        };
        if kind != RestrictionKind::Ingredient && id.parse::<Category>().is_ok() {
            return Err(c.error(
                spec.kind.span(),
                format!("'{id}' is an ingredient category: its kind must be 'ingredient'"),
            ));
        }
        let until = c.hours(&spec.until_hours)?;
        let earliest = match &spec.earliest_hours {
            Some(e) => c.hours(e)?,
            None => until,
        };
        if earliest > until {
            return Err(c.error(
                spec.until_hours.span(),
                format!("'{id}': until_hours ({until}) comes before earliest_hours ({earliest})"),
            ));
        }
        if kind == RestrictionKind::Product
            && spec.product_types.is_empty()
            && id != "regular_products"
        {
            return Err(c.error(
                spec.id.span(),
                format!("product restriction '{id}' needs product_types"),
            ));
        }
        for product_type in &spec.product_types {
            crate::inci::ProductType::parse_id(product_type)
                .map_err(|e| c.error(spec.id.span(), format!("'{id}': {e}")))?;
        }
        let applies_to = ProfileFilter {
            skin: spec.skin.clone(),
            fitzpatrick: c.fitzpatrick(&spec.fitzpatrick)?,
            areas: spec.areas.clone(),
        };
        if restrictions
            .iter()
            .any(|r| r.id == id && r.applies_to == applies_to)
        {
            return Err(c.error(
                spec.id.span(),
                format!("restriction '{id}' is listed twice for the same profiles"),
            ));
        }
        restrictions.push(Restriction {
            id,
            category,
            kind,
            name: c.readable(&spec.name)?,
            earliest,
            until,
            reason: c.readable(&spec.reason)?,
            after: spec.after.as_ref().map(|a| c.readable(a)).transpose()?,
            source: c.source(&spec.source)?,
            product_types: spec.product_types.clone(),
            applies_to,
        });
    }
    Ok(restrictions)
}

fn parse_step(c: &ValidationContext<'_>, step: &Spanned<String>) -> Result<StepKind, SpecError> {
    StepKind::ALL.into_iter().find(|k| k.id() == step.get_ref()).ok_or_else(|| {
        c.error(
            step.span(),
            format!(
                "unknown routine step '{}' (expected one of: cleanse, tone, serum, moisturise, oil, sunscreen)",
                step.get_ref()
            ),
        )
    })
}

fn validate_routine(
    c: &ValidationContext<'_>,
    phase_id: &Spanned<String>,
    phase_window: Window,
    when: &str,
    steps: &[StepSpec],
    restrictions: &[Restriction],
) -> Result<Vec<RoutineStep>, SpecError> {
    if steps.is_empty() {
        return Err(c.error(
            phase_id.span(),
            format!("phase '{}' has an empty {when} routine", phase_id.get_ref()),
        ));
    }
    let mut routine: Vec<RoutineStep> = Vec::new();
    for spec in steps {
        let step = parse_step(c, &spec.step)?;
        if let Some(previous) = routine.last()
            && previous.step > step
        {
            return Err(c.error(
                spec.step.span(),
                format!(
                    "step '{}' comes after '{}': steps go cleanse, tone, serum, moisturise, oil, sunscreen",
                    step.id(),
                    previous.step.id()
                ),
            ));
        }
        let window = c.window(spec.from_hours.as_ref(), spec.until_hours.as_ref())?;
        let window = Window {
            from: window.from.max(phase_window.from),
            until: match (window.until, phase_window.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        };
        for used in &spec.uses {
            let known = restrictions.iter().any(|r| &r.id == used.get_ref())
                || used.get_ref().parse::<Category>().is_ok();
            if !known {
                return Err(c.error(
                    used.span(),
                    format!(
                        "'{}' is neither a restriction id nor an ingredient category",
                        used.get_ref()
                    ),
                ));
            }
        }
        routine.push(RoutineStep {
            step,
            text: c.readable(&spec.text)?,
            source: c.source(&spec.source)?,
            uses: spec.uses.iter().map(|u| u.get_ref().clone()).collect(),
            skin: spec.skin.clone(),
            window,
        });
    }
    Ok(routine)
}

fn validate_phases(
    section: &Section<Vec<PhaseSpec>>,
    sources: &BTreeMap<String, Source>,
    restrictions: &[Restriction],
) -> Result<Vec<Phase>, SpecError> {
    let c = ctx(section, sources);
    let specs = section.value.get_ref();
    if specs.is_empty() {
        return Err(c.error(section.value.span(), "the protocol has no phases"));
    }
    let mut phases: Vec<Phase> = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let window = c.window(Some(&spec.from_hours), spec.until_hours.as_ref())?;
        let expected_start = phases
            .last()
            .and_then(|p| p.window.until)
            .unwrap_or(Hours::ZERO);
        if window.from != expected_start {
            let relation = if window.from < expected_start {
                "overlaps"
            } else {
                "leaves a gap after"
            };
            return Err(c.error(
                spec.from_hours.span(),
                format!(
                    "phase '{}' starts at {} and {relation} the previous phase, which ends at {expected_start}",
                    spec.id.get_ref(),
                    window.from
                ),
            ));
        }
        let is_last = index + 1 == specs.len();
        if window.until.is_none() && !is_last {
            return Err(c.error(
                spec.id.span(),
                format!(
                    "phase '{}' has no until_hours but is not the last phase",
                    spec.id.get_ref()
                ),
            ));
        }
        if window.until.is_some() && is_last {
            return Err(c.error(
                spec.until_hours
                    .as_ref()
                    .map_or(spec.id.span(), |u| u.span()),
                format!(
                    "the last phase '{}' must not end (leave out until_hours)",
                    spec.id.get_ref()
                ),
            ));
        }
        if phases.iter().any(|p| &p.id == spec.id.get_ref()) {
            return Err(c.error(
                spec.id.span(),
                format!("phase '{}' is listed twice", spec.id.get_ref()),
            ));
        }
        phases.push(Phase {
            id: spec.id.get_ref().clone(),
            name: c.readable(&spec.name)?,
            window,
            summary: c.readable(&spec.summary)?,
            source: c.source(&spec.source)?,
            expect: c.texts(&spec.expect)?,
            am: validate_routine(&c, &spec.id, window, "am", &spec.am, restrictions)?,
            pm: validate_routine(&c, &spec.id, window, "pm", &spec.pm, restrictions)?,
            tips: c.texts(&spec.tips)?,
        });
    }
    Ok(phases)
}
