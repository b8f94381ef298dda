//! The ingredient categories of CONTRACT §2, with their groups. Their exact meaning (the
//! borderline cases) is written down with the knowledge base in `data/ingredients/`.

vocabulary! {
    /// An ingredient category id, used in the CLI, the API, the protocol and the knowledge base.
    Category, "ingredient category" {
        /// Retinol, retinyl esters, retinal, HPR, prescription retinoids. Paused while healing.
        Retinoid = "retinoid",
        /// Alpha-hydroxy acids (glycolic, lactic, mandelic, malic, tartaric). Paused.
        Aha = "aha",
        /// Beta-hydroxy acids (salicylic acid and its acid forms). Paused.
        Bha = "bha",
        /// Polyhydroxy acids (gluconolactone, lactobionic acid). Paused.
        Pha = "pha",
        /// L-ascorbic acid and its derivatives. Paused.
        VitaminC = "vitamin_c",
        /// Benzoyl peroxide. Paused.
        BenzoylPeroxide = "benzoyl_peroxide",
        /// Hydroquinone. Paused.
        Hydroquinone = "hydroquinone",
        /// Azelaic acid and its derivatives. Paused.
        AzelaicAcid = "azelaic_acid",
        /// Fragrance, parfum, aroma, flavor. Irritant.
        Fragrance = "fragrance",
        /// An EU-labelled fragrance allergen (the 26 and the 2023 extension). Irritant.
        FragranceAllergen = "fragrance_allergen",
        /// A volatile plant oil. Irritant.
        EssentialOil = "essential_oil",
        /// A short-chain (drying) alcohol. Irritant.
        DryingAlcohol = "drying_alcohol",
        /// Scrub particles. Irritant (only in scrubs and polishes).
        PhysicalExfoliant = "physical_exfoliant",
        /// An organic UV filter. Irritant.
        ChemicalUvFilter = "chemical_uv_filter",
        /// A sulfate surfactant (sodium lauryl / laureth sulfate …), the foaming agent of
        /// cleansers that are not "sulfate-free". Irritant. Not in the labelled sample's
        /// vocabulary.
        SulfateSurfactant = "sulfate_surfactant",
        /// Hyaluronic acid and its salts. Helpful.
        HyaluronicAcid = "hyaluronic_acid",
        /// A synthetic cosmetic peptide. Helpful after the first days.
        Peptide = "peptide",
        /// A copper-bound peptide (GHK-Cu). Helpful after the first days.
        CopperPeptide = "copper_peptide",
        /// A recombinant human growth factor. Helpful after the first days.
        GrowthFactor = "growth_factor",
        /// Aloe barbadensis. Helpful.
        Aloe = "aloe",
        /// Tocopherol and its esters. Helpful.
        VitaminE = "vitamin_e",
        /// Zinc oxide or titanium dioxide as the sunscreen active. Helpful.
        MineralUvFilter = "mineral_uv_filter",
        /// INCI ceramides. Helpful.
        Ceramide = "ceramide",
        /// Panthenol. Helpful.
        Panthenol = "panthenol",
        /// Niacinamide. Helpful.
        Niacinamide = "niacinamide",
        /// Centella asiatica and its actives. Helpful.
        Centella = "centella",
        /// Rated 0-5 for clogging pores; 4-5 counts as high (a skin-type flag).
        Comedogenic = "comedogenic",
    }
}

/// What a category means for healing skin (the groups of CONTRACT §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryGroup {
    /// Active ingredients paused while the skin heals.
    Paused,
    /// Irritants to avoid while the skin heals.
    Irritant,
    /// Ingredients that help healing skin.
    Helpful,
    /// A flag that depends on the skin type.
    SkinTypeFlag,
}

impl Category {
    /// The group of CONTRACT §2 this category belongs to.
    pub fn group(self) -> CategoryGroup {
        use Category::*;
        match self {
            Retinoid | Aha | Bha | Pha | VitaminC | BenzoylPeroxide | Hydroquinone
            | AzelaicAcid => CategoryGroup::Paused,
            Fragrance | FragranceAllergen | EssentialOil | DryingAlcohol | PhysicalExfoliant
            | ChemicalUvFilter | SulfateSurfactant => CategoryGroup::Irritant,
            HyaluronicAcid | Peptide | CopperPeptide | GrowthFactor | Aloe | VitaminE
            | MineralUvFilter | Ceramide | Panthenol | Niacinamide | Centella => {
                CategoryGroup::Helpful
            }
            Comedogenic => CategoryGroup::SkinTypeFlag,
        }
    }
}
