/// Report wording for the layout set, per cancer site, written for it (invented findings, plausible phrasing).
struct ClinicalText: Sendable {
    var site: String
    var specimen: String
    var pathologyDiagnosis: [String]
    var gross: [String]
    var microscopic: [String]
    var exam: String
    var indication: String
    var findings: [String]
    var impression: [String]
    var procedure: String
    var preopDiagnosis: String
    var operativeFindings: [String]
    var operativeDescription: [String]
    var complaint: String
    var history: [String]
    var plan: [String]
    /// Test, result, flag, reference range, units.
    var labs: [(String, String, String, String, String)]

    static func forSite(_ site: String) -> ClinicalText {
        switch site {
        case "lung": lung
        case "colon": colon
        case "prostate": prostate
        default: breast
        }
    }

    static let breast = ClinicalText(
        site: "breast",
        specimen: "Right breast, 10 o'clock, 4 cm from nipple, ultrasound-guided core biopsy (14 gauge x 3)",
        pathologyDiagnosis: [
            "RIGHT BREAST, 10:00, CORE BIOPSY:",
            "  - INVASIVE LOBULAR CARCINOMA, classic type, Nottingham grade 2 (3+2+1 = 6/9).",
            "  - Lobular carcinoma in situ, classic type, present.",
            "  - Largest linear extent of invasive tumor in a single core: 9 mm.",
            "  - Microcalcifications not identified.",
        ],
        gross: [
            "Received in formalin, labeled with the patient's name and \"right breast 10:00\", are three",
            "yellow-tan cylindrical cores, 1.2 to 1.9 cm. Entirely submitted in one cassette (A1).",
        ],
        microscopic: [
            "Sections show discohesive tumor cells infiltrating in single files around benign ducts.",
            "E-cadherin is negative in the tumor cells, supporting lobular differentiation.",
            "ER: positive (>90%, strong). PR: positive (40%, moderate). HER2 (IHC): 0, negative.",
        ],
        exam: "MRI BREAST BILATERAL WITH AND WITHOUT CONTRAST",
        indication: "Newly diagnosed right breast invasive lobular carcinoma; extent of disease.",
        findings: [
            "Breast composition: heterogeneous fibroglandular tissue. Background enhancement: mild.",
            "Right breast: irregular non-mass enhancement spanning 4.8 cm at 10 o'clock, middle depth,",
            "containing the biopsy clip artifact. No skin or pectoralis involvement.",
            "Left breast: no suspicious enhancement. Axillae: no morphologically abnormal lymph nodes.",
        ],
        impression: [
            "1. Known right breast malignancy with 4.8 cm of associated non-mass enhancement (BI-RADS 6).",
            "2. No MRI evidence of contralateral disease. BI-RADS 1, left breast.",
        ],
        procedure: "Right breast needle-localized partial mastectomy and sentinel lymph node biopsy",
        preopDiagnosis: "Invasive lobular carcinoma, right breast, cT2 N0",
        operativeFindings: [
            "Two blue and radioactive sentinel nodes, level I axilla; no palpable adenopathy.",
            "Specimen radiograph confirmed the clip and localization wire within the specimen.",
        ],
        operativeDescription: [
            "After induction of general anesthesia, 4 mL of isosulfan blue was injected in the subareolar",
            "space. A curvilinear incision was made over the wire and the lesion was excised with a rim",
            "of normal tissue. Superior and lateral shave margins were taken. Two sentinel nodes were",
            "removed through a separate axillary incision. Hemostasis was obtained and the wounds closed",
            "in layers. Estimated blood loss 20 mL. The patient tolerated the procedure well.",
        ],
        complaint: "Newly diagnosed right breast cancer; second opinion regarding surgery versus neoadjuvant therapy.",
        history: [
            "Screening mammogram showed architectural distortion in the right upper outer quadrant.",
            "Core biopsy confirmed invasive lobular carcinoma, ER/PR positive, HER2 negative.",
            "She has no family history of breast or ovarian cancer. Genetic testing is pending.",
        ],
        plan: [
            "1. Invasive lobular carcinoma, right breast, clinical stage IIA. MRI extent 4.8 cm.",
            "2. Discussed breast conservation versus mastectomy; she prefers a second opinion first.",
            "3. Records, slides and MRI sent for second opinion review. Follow up in 2 weeks.",
        ],
        labs: [
            ("CA 27-29", "41.2", "H", "0.0 - 38.0", "U/mL"), ("WBC", "6.8", "", "3.8 - 10.8", "K/uL"),
            ("Hemoglobin", "12.1", "", "11.7 - 15.5", "g/dL"), ("Platelets", "288", "", "140 - 400", "K/uL"),
            ("Alkaline Phosphatase", "88", "", "37 - 153", "U/L"), ("AST", "22", "", "10 - 35", "U/L"),
        ]
    )

    static let lung = ClinicalText(
        site: "lung",
        specimen: "Lymph node, station 7, EBUS-guided transbronchial needle aspiration, and cell block",
        pathologyDiagnosis: [
            "LYMPH NODE, STATION 7 (SUBCARINAL), EBUS-TBNA AND CELL BLOCK:",
            "  - POSITIVE FOR MALIGNANT CELLS.",
            "  - Metastatic non-small cell carcinoma, favor adenocarcinoma (TTF-1 positive, p40 negative).",
            "  - Cellularity adequate for molecular studies (PD-L1, NGS sent).",
        ],
        gross: [
            "Received are four passes in CytoLyt and two air-dried smears, labeled station 7.",
            "A cell block was prepared from the residual material.",
        ],
        microscopic: [
            "Smears show cohesive three-dimensional clusters of malignant epithelial cells with vacuolated",
            "cytoplasm and prominent nucleoli, in a background of lymphocytes.",
            "PD-L1 (22C3) tumor proportion score: 60%.",
        ],
        exam: "PET/CT SKULL BASE TO MID-THIGH (F-18 FDG)",
        indication: "Left upper lobe mass; staging of suspected lung cancer.",
        findings: [
            "Hypermetabolic 3.4 x 2.8 cm left upper lobe mass, SUV max 14.2.",
            "FDG-avid subcarinal lymph node, 1.6 cm short axis, SUV max 8.9. Left hilar node SUV 6.1.",
            "No FDG-avid hepatic, adrenal or osseous lesions. Physiologic activity elsewhere.",
        ],
        impression: [
            "1. Hypermetabolic left upper lobe mass consistent with primary lung malignancy.",
            "2. Hypermetabolic subcarinal and left hilar nodes, suspicious for N2 disease.",
            "3. No evidence of distant metastatic disease.",
        ],
        procedure: "Flexible bronchoscopy with endobronchial ultrasound-guided transbronchial needle aspiration",
        preopDiagnosis: "Left upper lobe lung mass with mediastinal adenopathy",
        operativeFindings: [
            "Normal airway anatomy. Stations 4R, 7 and 11L sampled; rapid on-site evaluation positive",
            "for malignant cells at station 7.",
        ],
        operativeDescription: [
            "Under general anesthesia via laryngeal mask airway, the EBUS scope was introduced.",
            "Systematic mediastinal staging was performed. Four passes were obtained from station 7",
            "with a 22-gauge needle, three from 4R and three from 11L. There were no complications.",
        ],
        complaint: "Left upper lobe lung mass and mediastinal adenopathy; second opinion on treatment.",
        history: [
            "Former smoker, 40 pack-years, quit 2019. Presented with hemoptysis and a 6 kg weight loss.",
            "PET/CT showed a hypermetabolic left upper lobe mass with subcarinal and hilar nodes.",
            "EBUS sampling of station 7 confirmed metastatic adenocarcinoma; molecular studies pending.",
        ],
        plan: [
            "1. Adenocarcinoma of the left upper lobe, clinical stage IIIA (cT2a N2 M0).",
            "2. Brain MRI ordered. Pulmonary function tests before any surgical discussion.",
            "3. Referred for second opinion: concurrent chemoradiation versus neoadjuvant chemoimmunotherapy.",
        ],
        labs: [
            ("CEA", "12.6", "H", "0.0 - 3.0", "ng/mL"), ("WBC", "9.4", "", "3.8 - 10.8", "K/uL"),
            ("Hemoglobin", "11.2", "L", "13.2 - 17.1", "g/dL"), ("Sodium", "133", "L", "135 - 146", "mmol/L"),
            ("Calcium", "9.6", "", "8.6 - 10.3", "mg/dL"), ("Creatinine", "0.92", "", "0.70 - 1.25", "mg/dL"),
        ]
    )

    static let colon = ClinicalText(
        site: "colon",
        specimen: "Colon, sigmoid, at 25 cm, cold forceps biopsy",
        pathologyDiagnosis: [
            "SIGMOID COLON MASS AT 25 CM, BIOPSY:",
            "  - INVASIVE ADENOCARCINOMA, moderately differentiated, arising in a tubulovillous adenoma.",
            "  - Mismatch repair proteins (MLH1, PMS2, MSH2, MSH6): intact nuclear expression.",
        ],
        gross: [
            "Received in formalin are six pink-tan soft tissue fragments, 0.2 to 0.5 cm in aggregate.",
            "Entirely submitted in cassette A.",
        ],
        microscopic: [
            "Sections show irregular malignant glands with dirty necrosis invading the lamina propria",
            "and muscularis mucosae, adjacent to villous adenomatous mucosa.",
        ],
        exam: "CT ABDOMEN AND PELVIS WITH IV CONTRAST",
        indication: "Sigmoid adenocarcinoma on colonoscopy; staging.",
        findings: [
            "Liver: two hypoattenuating lesions in segments 6 and 7, 1.1 and 0.8 cm, indeterminate.",
            "Bowel: 4.5 cm segment of circumferential wall thickening in the sigmoid colon with",
            "pericolonic fat stranding. Several pericolonic lymph nodes up to 0.9 cm.",
            "No ascites. No free air. Bones: degenerative change only.",
        ],
        impression: [
            "1. Sigmoid colon mass with pericolonic lymphadenopathy, consistent with known carcinoma.",
            "2. Two indeterminate hepatic lesions; MRI liver recommended.",
        ],
        procedure: "Laparoscopic sigmoid colectomy with primary stapled colorectal anastomosis",
        preopDiagnosis: "Adenocarcinoma of the sigmoid colon",
        operativeFindings: [
            "Mass in the mid sigmoid colon without serosal involvement. No peritoneal implants.",
            "Liver surface smooth without palpable lesions. Estimated blood loss 50 mL.",
        ],
        operativeDescription: [
            "The patient was placed in modified lithotomy position. Pneumoperitoneum was established",
            "and five ports were placed. The sigmoid colon was mobilized medial to lateral and the",
            "inferior mesenteric artery was divided at its origin. A 29 mm EEA stapled anastomosis was",
            "fashioned; the leak test was negative. Fascia was closed and skin approximated.",
        ],
        complaint: "Sigmoid colon adenocarcinoma; second opinion before surgery.",
        history: [
            "Presented with intermittent rectal bleeding and iron deficiency anemia.",
            "Colonoscopy found a partially obstructing sigmoid mass at 25 cm; biopsy showed adenocarcinoma.",
            "CT shows two small indeterminate liver lesions. CEA 8.4.",
        ],
        plan: [
            "1. Sigmoid adenocarcinoma, at least cT3 N1; liver lesions need MRI characterization.",
            "2. If the liver is clear, proceed to laparoscopic sigmoid colectomy.",
            "3. Second opinion requested by the patient; records and slides forwarded.",
        ],
        labs: [
            ("CEA", "8.4", "H", "0.0 - 3.0", "ng/mL"), ("Hemoglobin", "9.8", "L", "11.7 - 15.5", "g/dL"),
            ("MCV", "74", "L", "80 - 100", "fL"), ("Ferritin", "6", "L", "16 - 232", "ng/mL"),
            ("ALT", "19", "", "6 - 29", "U/L"), ("Albumin", "3.6", "", "3.6 - 5.1", "g/dL"),
        ]
    )

    static let prostate = ClinicalText(
        site: "prostate",
        specimen: "Prostate, 12-core transrectal ultrasound-guided needle biopsies (parts A-L)",
        pathologyDiagnosis: [
            "PROSTATE, LEFT MID AND LEFT BASE (PARTS E, F), NEEDLE BIOPSIES:",
            "  - PROSTATIC ADENOCARCINOMA, Gleason score 4+3=7 (Grade Group 3), 2 of 2 cores.",
            "  - Tumor involves 70% and 45% of core length. Perineural invasion present.",
            "REMAINING PARTS (A-D, G-L): Benign prostatic tissue.",
        ],
        gross: [
            "Received are twelve containers, each with one or two tan needle cores, 0.8 to 1.7 cm.",
            "Each part entirely submitted.",
        ],
        microscopic: [
            "Cores E and F show infiltrating small glands and fused cribriform glands (pattern 4, 60%).",
            "Basal cell markers (p63, HMWCK) are absent and AMACR is positive in the atypical glands.",
        ],
        exam: "MRI PROSTATE WITH AND WITHOUT CONTRAST (MULTIPARAMETRIC)",
        indication: "Rising PSA, 9.7 ng/mL; Gleason 4+3 on biopsy.",
        findings: [
            "Prostate volume 42 mL. PSA density 0.23.",
            "1.6 cm lesion in the left mid-gland peripheral zone, marked diffusion restriction, early",
            "enhancement, PI-RADS 5, with broad capsular contact but no definite extraprostatic extension.",
            "Seminal vesicles preserved. No pelvic adenopathy. No suspicious osseous lesion.",
        ],
        impression: [
            "1. PI-RADS 5 lesion, left mid peripheral zone, corresponding to the biopsy-proven cancer.",
            "2. No MRI evidence of seminal vesicle invasion or nodal disease.",
        ],
        procedure: "Robotic-assisted laparoscopic radical prostatectomy with bilateral pelvic lymph node dissection",
        preopDiagnosis: "Prostate adenocarcinoma, Grade Group 3",
        operativeFindings: [
            "Moderately enlarged prostate, no gross extraprostatic extension. Left neurovascular",
            "bundle partially spared. Estimated blood loss 150 mL.",
        ],
        operativeDescription: [
            "The robot was docked in steep Trendelenburg position. The space of Retzius was developed,",
            "the endopelvic fascia opened and the dorsal venous complex ligated. The bladder neck was",
            "divided and the seminal vesicles dissected. A running vesicourethral anastomosis was",
            "completed over a 20 French catheter. Bilateral pelvic lymph nodes were removed.",
        ],
        complaint: "Prostate cancer, Grade Group 3; second opinion on surgery versus radiation.",
        history: [
            "PSA rose from 5.1 to 9.7 ng/mL over 18 months. Multiparametric MRI showed a PI-RADS 5 lesion.",
            "Biopsy: Gleason 4+3=7 in 2 of 12 cores, left side. Bone scan negative.",
            "He is otherwise well; mild nocturia, no erectile dysfunction.",
        ],
        plan: [
            "1. Unfavorable intermediate-risk prostate adenocarcinoma, cT2a N0 M0.",
            "2. Options reviewed: radical prostatectomy, or radiation with 6 months of ADT.",
            "3. Second opinion requested; slides and MRI forwarded. Decision after consultation.",
        ],
        labs: [
            ("PSA, total", "9.7", "H", "0.0 - 4.0", "ng/mL"), ("PSA, free", "0.9", "", "", "ng/mL"),
            ("% Free PSA", "9", "L", ">25", "%"), ("Testosterone", "436", "", "250 - 827", "ng/dL"),
            ("Creatinine", "1.11", "", "0.70 - 1.33", "mg/dL"), ("Hemoglobin", "14.6", "", "13.2 - 17.1", "g/dL"),
        ]
    )
}
