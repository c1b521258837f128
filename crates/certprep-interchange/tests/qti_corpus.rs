//! Every QTI file of the shared corpus (`qti21/`, `qti30/`): an item file imports with the
//! pinned number of items and refusals, a test, manifest or stimulus read alone is refused
//! with a message saying what to import instead, and every package (a folder with a manifest
//! or a test) imports through [`import_package`] and, zipped, through [`import`] with the
//! pinned counts. Whatever is imported lints clean on the embedded catalog.

mod common;

use std::io::Write as _;
use std::path::Path;

use certprep_interchange::{Format, Imported, import, import_package};

const QTI_FILES: &[(&str, usize, usize)] = &[
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/adaptive.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/adaptive_template.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/associate.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/choice.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/choice_fixed.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/choice_multiple.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/choice_multiple_chocolade.xml",
        0,
        1,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/extended_text.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/extended_text_rubric.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/feedbackInline.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/feedbackblock_adaptive.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/feedbackblock_solution_random.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/feedbackblock_templateblock.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/gap_match.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/graphic_associate.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/graphic_gap_match.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/graphic_order.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/hotspot.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/hottext.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/inline_choice.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/likert.xml",
        0,
        1,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/match.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/math.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/mc_calc3.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/mc_calc5.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/mc_stat2.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/modalFeedback.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/multi-input.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/nested_object.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/order.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/orkney1.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/orkney2.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/position_object.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/select_point.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/slider.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/template.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_1/text_entry.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_2/choice_multiple_rtl.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_2/gap_match.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/items/2_2/order_rtl.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Choicemultiple_2014410822.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Choicemultiple_871212949.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Choicesingle_853928446.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Choicetruefalse_176040516.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Hotspot_278940407.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Hottext_801974120.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Matchmultiple_1038910213.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Matchsingle_143114773.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/Order_913967682.xml",
        1,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/TextEntry_883368511.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/TextEntrynumeric_2040297025.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/TextEntrynumeric_770468849.xml",
        0,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/TextEntrysubset_806481421.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/INTRODUCTION.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM001.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM002.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM003.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM004.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM005.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM006.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM007.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM008.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/ITEM009.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/INTRODUCTION.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM001.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM002.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM003.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM004.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM005.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM006.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM007.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM008.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM009.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM010.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM011.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM012.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/ITEM013.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q10/order-interaction.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q3/match-interaction.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q4/associate-interaction.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-example-1-removed.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-example-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-example-2.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-example-3.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-sv-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-sv-2.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-sv-3.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q6/gap-match-sv-4.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-interaction-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-interaction-2.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-sv-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-sv-2.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-sv-3.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/graphic-gap-match-sv-4.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/A1/alternate-text-for-graphics.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/I9b/map-response-identifier.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/I9b/match-correct-identifier.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-1.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-2a.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-2b.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-2c.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-2d.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3a.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3b.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3c.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3d.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3e.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3f.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3g.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3h.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3i.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3j.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3k.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality-sv-3l.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/multiple-cardinality.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-invalid.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-1.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-2a.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-2b.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-2c.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-2d.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3a.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3b.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3c.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3d.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3e.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3f.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3g.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3h.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3i.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3j.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3k.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality-sv-3l.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q2/single-cardinality.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2a.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2b.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2c.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2d.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2e.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2f.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2g.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2h.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2i.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2j.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2k.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2l.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2m.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2n.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2o.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-2p.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q20/text-entry-sv-3.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/base-type-string-invalid.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/base-type-string.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/extended-text-sv-1.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/extended-text-sv-2a.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/extended-text-sv-2b.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/Q5/extended-text-sv-2c.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/items/choice-multiple-cardinality.xml",
        0,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/items/choice-single-cardinality.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/items/extended-text.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/items/text-entry.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/choice.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/choice_multiple.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/extended_text.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/gap_match.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/graphic_associate.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/graphic_gap_match.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/hotspot.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/info_end.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/info_start.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/inline_choice.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/match-tabular.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/match.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/math.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/order.xml",
        1,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/position_object.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/select_point.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/slider.xml",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/text_entry.xml",
        0,
        0,
    ),
];

const QTI_REJECTED: &[(&str, &str)] = &[
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/feedback_examples_test/feedback_examples_test.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/interaction_mix_sachsen.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen/interaction_mix_sachsen_2_2.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/items_arranged_into_sections_within_tests/items_arranged_into_sections_within_tests.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/randomizing_the_order_of_items_and_sections/randomizing_the_order_of_items_and_sections.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/sets_of_items_with_leading_material/sets_of_items_with_leading_material.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/simple_feedback_test/simple_feedback_test.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/AssessmentTest.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1/imsmanifest.xml",
        "this is a content package's manifest",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/AssessmentTest.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2/imsmanifest.xml",
        "this is a content package's manifest",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/assessment.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8/imsmanifest.xml",
        "this is a content package's manifest",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/assessment.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7/imsmanifest.xml",
        "this is a content package's manifest",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/assessment.xml",
        "this is a QTI assessment test",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/imsmanifest.xml",
        "this is a content package's manifest",
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package/items/ref/unbelievableNight.xml",
        "this is a QTI shared stimulus (a passage items refer to)",
    ),
];

const QTI_PACKAGES: &[(&str, usize, usize)] = &[
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/feedback_examples_test",
        0,
        6,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/interaction_mix_sachsen",
        7,
        0,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/items_arranged_into_sections_within_tests",
        0,
        12,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/randomizing_the_order_of_items_and_sections",
        0,
        9,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/sets_of_items_with_leading_material",
        0,
        3,
    ),
    (
        "qti21/oat-sa-qti-sdk/test/samples/ims/tests/simple_feedback_test",
        0,
        4,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-1",
        4,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/api/kennisnet-2",
        6,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Advanced/Q8",
        0,
        0,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-conformance/Basic/T4-T7",
        1,
        1,
    ),
    (
        "qti30/Citolab-qti-components/public/assets/qti-test-package",
        6,
        0,
    ),
];

/// A folder's files, paths relative to it.
fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    common::files(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .map(|r| r.display().to_string())
                .unwrap_or_default();
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (rel, bytes)
        })
        .collect()
}

fn zipped(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// Checks counts, positions and the lint of one import.
fn check(rel: &str, imported: &Imported, items: usize, refused: usize, failures: &mut Vec<String>) {
    let errors = imported.errors().count();
    if imported.items.len() != items || errors != refused {
        failures.push(format!(
            "{rel}: expected {items} items and {refused} refused, got {} and {errors}:\n  {}",
            imported.items.len(),
            imported
                .issues
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        ));
    }
    for issue in imported.issues.iter().filter(|i| i.item.is_some()) {
        if issue.line == 0 {
            failures.push(format!(
                "{rel}: an item's issue without a position: {issue}"
            ));
        }
    }
    if !imported.items.is_empty() {
        let loaded = common::lint("imported.md", &imported.markdown);
        let lint: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        if !lint.is_empty() || loaded.library.bank.items.len() != items {
            failures.push(format!(
                "{rel}: the imported bank does not lint clean: {lint:?}"
            ));
        }
    }
}

#[test]
fn every_qti_file_imports_with_the_expected_counts_or_is_refused_clearly() {
    let Some(dir) = common::corpus() else { return };
    let mut failures = Vec::new();
    for (rel, items, refused) in QTI_FILES {
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        match import(rel, &bytes, None, &common::options()) {
            Ok(imported) => {
                if imported.format != Format::Qti {
                    failures.push(format!("{rel}: detected as {}", imported.format));
                }
                check(rel, &imported, *items, *refused, &mut failures);
            }
            Err(e) => failures.push(format!("{rel}: rejected: {e}")),
        }
    }
    for (rel, words) in QTI_REJECTED {
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        match import(rel, &bytes, None, &common::options()) {
            Ok(_) => failures.push(format!("{rel}: expected a rejection")),
            Err(e) if !e.to_string().contains(words) => {
                failures.push(format!("{rel}: unclear rejection: {e}"));
            }
            Err(e) if !e.to_string().contains("import") => {
                failures.push(format!(
                    "{rel}: the rejection does not say what to import: {e}"
                ));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_qti_package_imports_as_a_folder_and_as_a_zip() {
    let Some(dir) = common::corpus() else { return };
    let mut failures = Vec::new();
    for (rel, items, refused) in QTI_PACKAGES {
        let files = folder(&dir.join(rel));
        match import_package(rel, files.clone(), &common::options()) {
            Ok(imported) => check(rel, &imported, *items, *refused, &mut failures),
            Err(e) => failures.push(format!("{rel}: rejected: {e}")),
        }
        // The same package zipped: detected from its bytes when it has a manifest, read as
        // QTI when told so otherwise.
        let name = format!("{rel}.zip");
        let manifest = files.iter().any(|(p, _)| p == "imsmanifest.xml");
        let format = (!manifest).then_some(Format::Qti);
        match import(&name, &zipped(&files), format, &common::options()) {
            Ok(imported) => check(&name, &imported, *items, *refused, &mut failures),
            Err(e) => failures.push(format!("{name}: rejected: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_package_keeps_sections_as_categories_and_media_paths() {
    let Some(dir) = common::corpus() else { return };
    let rel = "qti30/Citolab-qti-components/public/assets/qti-test-package";
    let imported =
        import_package("pkg", folder(&dir.join(rel)), &common::options()).expect("imports");
    assert!(
        imported
            .markdown
            .contains("# Category: Examples/2. Advanced Level"),
        "{}",
        imported.markdown
    );
    assert!(imported.markdown.contains("](../img/sign.png)"));
    assert!(imported.issues.iter().any(|i| {
        i.file == "pkg/items/choice.xml"
            && i.message
                .contains("`../img/sign.png` (`img/sign.png` in the package)")
    }));
    // Items the manifest reaches only through the test were read.
    assert!(imported.items.iter().any(|i| i.id == "itm-order"));
}

#[test]
fn every_qti_corpus_file_is_covered() {
    let Some(dir) = common::corpus() else { return };
    let mut missing = Vec::new();
    for sub in ["qti21", "qti30"] {
        for path in common::files(&dir.join(sub)) {
            let rel = path
                .strip_prefix(&dir)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            if !rel.ends_with(".xml") {
                continue;
            }
            let listed = QTI_FILES.iter().any(|(p, ..)| *p == rel)
                || QTI_REJECTED.iter().any(|(p, _)| *p == rel);
            if !listed {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "QTI files with no expectation: {missing:?}"
    );
}
