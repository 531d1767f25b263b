"""The programme's reference lists (DESIGN 5.1), loaded by the first migration.

Kept as data: national coordinators extend them with the catalogue workbook's reference sheets
(bot/services/catalogue_refs.py); codes never change.
"""

REGIONS = [
    ("TTA", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    ("ORI", "L'Oriental", "الشرق"),
    ("FME", "Fès-Meknès", "فاس مكناس"),
    ("RSK", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    ("BMK", "Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    ("CST", "Casablanca-Settat", "الدار البيضاء سطات"),
    ("MSA", "Marrakech-Safi", "مراكش آسفي"),
    ("DTA", "Drâa-Tafilalet", "درعة تافيلالت"),
    ("SMA", "Souss-Massa", "سوس ماسة"),
    ("GON", "Guelmim-Oued Noun", "كلميم واد نون"),
    ("LSH", "Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    ("DOD", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
]

POSITIONS = [
    ("responsable", "Responsable (directeur, chef de division / service)",
     "مسؤول (مدير، رئيس قسم / مصلحة)"),
    ("cadre", "Cadre", "إطار"),
    ("technicien", "Technicien / agent", "تقني / عون"),
]

ADMINISTRATIONS = [
    ("MTNRA", "Ministère de la Transition numérique et de la Réforme de l'Administration",
     "وزارة الانتقال الرقمي وإصلاح الإدارة"),
    ("MEF", "Ministère de l'Économie et des Finances", "وزارة الاقتصاد والمالية"),
    ("MI", "Ministère de l'Intérieur", "وزارة الداخلية"),
    ("MSPS", "Ministère de la Santé et de la Protection sociale",
     "وزارة الصحة والحماية الاجتماعية"),
    ("MENPS", "Ministère de l'Éducation nationale, du Préscolaire et des Sports",
     "وزارة التربية الوطنية والتعليم الأولي والرياضة"),
    ("MJ", "Ministère de la Justice", "وزارة العدل"),
    ("MESRSI", "Ministère de l'Enseignement supérieur, de la Recherche scientifique et de "
     "l'Innovation", "وزارة التعليم العالي والبحث العلمي والابتكار"),
    ("MAPMDREF", "Ministère de l'Agriculture, de la Pêche maritime, du Développement rural et "
     "des Eaux et Forêts", "وزارة الفلاحة والصيد البحري والتنمية القروية والمياه والغابات"),
    ("MEE", "Ministère de l'Équipement et de l'Eau", "وزارة التجهيز والماء"),
    ("MTEDD", "Ministère de la Transition énergétique et du Développement durable",
     "وزارة الانتقال الطاقي والتنمية المستدامة"),
    ("MIC", "Ministère de l'Industrie et du Commerce", "وزارة الصناعة والتجارة"),
    ("MTAESS", "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire",
     "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني"),
    ("MIEPEEC", "Ministère de l'Inclusion économique, de la Petite entreprise, de l'Emploi et "
     "des Compétences", "وزارة الإدماج الاقتصادي والمقاولة الصغرى والتشغيل والكفاءات"),
    ("MSISF", "Ministère de la Solidarité, de l'Insertion sociale et de la Famille",
     "وزارة التضامن والإدماج الاجتماعي والأسرة"),
    ("MJCC", "Ministère de la Jeunesse, de la Culture et de la Communication",
     "وزارة الشباب والثقافة والتواصل"),
    ("MAECAMRE", "Ministère des Affaires étrangères, de la Coopération africaine et des "
     "Marocains résidant à l'étranger",
     "وزارة الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج"),
    ("MHAI", "Ministère des Habous et des Affaires islamiques", "وزارة الأوقاف والشؤون الإسلامية"),
    ("MATNUHPV", "Ministère de l'Aménagement du territoire national, de l'Urbanisme, de "
     "l'Habitat et de la Politique de la ville",
     "وزارة إعداد التراب الوطني والتعمير والإسكان وسياسة المدينة"),
    ("MTL", "Ministère du Transport et de la Logistique", "وزارة النقل واللوجستيك"),
    ("DGCT", "Direction générale des Collectivités territoriales",
     "المديرية العامة للجماعات الترابية"),
    ("ADD", "Agence de Développement du Digital", "وكالة التنمية الرقمية"),
    ("HCP", "Haut-Commissariat au Plan", "المندوبية السامية للتخطيط"),
]

THEMES = [
    ("TRANSFO", "Transformation digitale et conduite du changement",
     "التحول الرقمي وقيادة التغيير", "strategique"),
    ("DATA", "Gouvernance et valorisation des données", "حكامة البيانات وتثمينها", "strategique"),
    ("EGOV", "Administration numérique et services en ligne",
     "الإدارة الرقمية والخدمات الإلكترونية", "strategique"),
    ("IA", "Intelligence artificielle", "الذكاء الاصطناعي", "strategique"),
    ("CYBER", "Cybersécurité et protection des données", "الأمن السيبراني وحماية المعطيات",
     "operationnel"),
    ("BUREAU", "Bureautique et outils collaboratifs", "المكتبيات وأدوات العمل التشاركي",
     "operationnel"),
    ("PROJET", "Gestion de projets digitaux", "تدبير المشاريع الرقمية", "operationnel"),
]
