"""Region membership and Swedish names of Finnish municipalities (typed reference tables).

Used only by ``tools/build_world_data.py``. The region lists follow Statistics Finland's
regional classification in force 2021-2024 (1.1.2024 municipal division, 309
municipalities); the builder verifies them against the data: each region's summed
municipal totals (StatFin 11re) must equal its regional total in every year 1972-2023.
"""

from __future__ import annotations

#: Region code -> (English name, Finnish name, Swedish name).
REGION_NAMES: dict[int, tuple[str, str, str]] = {
    1: ("Uusimaa", "Uusimaa", "Nyland"),
    2: ("Southwest Finland", "Varsinais-Suomi", "Egentliga Finland"),
    4: ("Satakunta", "Satakunta", "Satakunta"),
    5: ("Kanta-Häme", "Kanta-Häme", "Egentliga Tavastland"),
    6: ("Pirkanmaa", "Pirkanmaa", "Birkaland"),
    7: ("Päijät-Häme", "Päijät-Häme", "Päijänne-Tavastland"),
    8: ("Kymenlaakso", "Kymenlaakso", "Kymmenedalen"),
    9: ("South Karelia", "Etelä-Karjala", "Södra Karelen"),
    10: ("South Savo", "Etelä-Savo", "Södra Savolax"),
    11: ("North Savo", "Pohjois-Savo", "Norra Savolax"),
    12: ("North Karelia", "Pohjois-Karjala", "Norra Karelen"),
    13: ("Central Finland", "Keski-Suomi", "Mellersta Finland"),
    14: ("South Ostrobothnia", "Etelä-Pohjanmaa", "Södra Österbotten"),
    15: ("Ostrobothnia", "Pohjanmaa", "Österbotten"),
    16: ("Central Ostrobothnia", "Keski-Pohjanmaa", "Mellersta Österbotten"),
    17: ("North Ostrobothnia", "Pohjois-Pohjanmaa", "Norra Österbotten"),
    18: ("Kainuu", "Kainuu", "Kajanaland"),
    19: ("Lapland", "Lappi", "Lappland"),
    21: ("Åland", "Ahvenanmaa", "Åland"),
}

#: Region code -> member municipalities (Finnish names as in StatFin 11re; "_" = space).
REGION_MEMBERS: dict[int, str] = {
    1: "Askola Espoo Hanko Helsinki Hyvinkää Inkoo Järvenpää Karkkila Kauniainen Kerava "
    "Kirkkonummi Lapinjärvi Lohja Loviisa Myrskylä Mäntsälä Nurmijärvi Pornainen Porvoo "
    "Pukkila Raasepori Sipoo Siuntio Tuusula Vantaa Vihti",
    2: "Aura Kaarina Kemiönsaari Koski_Tl Kustavi Laitila Lieto Loimaa Marttila Masku "
    "Mynämäki Naantali Nousiainen Oripää Paimio Parainen Pyhäranta Pöytyä Raisio Rusko "
    "Salo Sauvo Somero Taivassalo Turku Uusikaupunki Vehmaa",
    4: "Eura Eurajoki Harjavalta Huittinen Jämijärvi Kankaanpää Karvia Kokemäki Merikarvia "
    "Nakkila Pomarkku Pori Rauma Siikainen Säkylä Ulvila",
    5: "Forssa Hattula Hausjärvi Humppila Hämeenlinna Janakkala Jokioinen Loppi Riihimäki "
    "Tammela Ypäjä",
    6: "Akaa Hämeenkyrö Ikaalinen Juupajoki Kangasala Kihniö Kuhmoinen Lempäälä "
    "Mänttä-Vilppula Nokia Orivesi Parkano Pirkkala Punkalaidun Pälkäne Ruovesi Sastamala "
    "Tampere Urjala Valkeakoski Vesilahti Virrat Ylöjärvi",
    7: "Asikkala Hartola Heinola Hollola Iitti Kärkölä Lahti Orimattila Padasjoki Sysmä",
    8: "Hamina Kotka Kouvola Miehikkälä Pyhtää Virolahti",
    9: "Imatra Lappeenranta Lemi Luumäki Parikkala Rautjärvi Ruokolahti Savitaipale Taipalsaari",
    10: "Enonkoski Hirvensalmi Juva Kangasniemi Mikkeli Mäntyharju Pertunmaa Pieksämäki "
    "Puumala Rantasalmi Savonlinna Sulkava",
    11: "Iisalmi Joroinen Kaavi Keitele Kiuruvesi Kuopio Lapinlahti Leppävirta Pielavesi "
    "Rautalampi Rautavaara Siilinjärvi Sonkajärvi Suonenjoki Tervo Tuusniemi Varkaus "
    "Vesanto Vieremä",
    12: "Heinävesi Ilomantsi Joensuu Juuka Kitee Kontiolahti Lieksa Liperi Nurmes "
    "Outokumpu Polvijärvi Rääkkylä Tohmajärvi",
    13: "Hankasalmi Joutsa Jyväskylä Jämsä Kannonkoski Karstula Keuruu Kinnula Kivijärvi "
    "Konnevesi Kyyjärvi Laukaa Luhanka Multia Muurame Petäjävesi Pihtipudas Saarijärvi "
    "Toivakka Uurainen Viitasaari Äänekoski",
    14: "Alajärvi Alavus Evijärvi Ilmajoki Isojoki Isokyrö Karijoki Kauhajoki Kauhava "
    "Kuortane Kurikka Lappajärvi Lapua Seinäjoki Soini Teuva Vimpeli Ähtäri",
    15: "Kaskinen Korsnäs Kristiinankaupunki Kruunupyy Laihia Luoto Maalahti Mustasaari "
    "Närpiö Pedersören_kunta Pietarsaari Uusikaarlepyy Vaasa Vöyri",
    16: "Halsua Kannus Kaustinen Kokkola Lestijärvi Perho Toholampi Veteli",
    17: "Alavieska Haapajärvi Haapavesi Hailuoto Ii Kalajoki Kempele Kuusamo Kärsämäki "
    "Liminka Lumijoki Merijärvi Muhos Nivala Oulainen Oulu Pudasjärvi Pyhäjoki Pyhäjärvi "
    "Pyhäntä Raahe Reisjärvi Sievi Siikajoki Siikalatva Taivalkoski Tyrnävä Utajärvi "
    "Vaala Ylivieska",
    18: "Hyrynsalmi Kajaani Kuhmo Paltamo Puolanka Ristijärvi Sotkamo Suomussalmi",
    19: "Enontekiö Inari Kemi Kemijärvi Keminmaa Kittilä Kolari Muonio Pelkosenniemi Pello "
    "Posio Ranua Rovaniemi Salla Savukoski Simo Sodankylä Tervola Tornio Utsjoki Ylitornio",
    21: "Brändö Eckerö Finström Föglö Geta Hammarland Jomala Kumlinge Kökar Lemland "
    "Lumparland Maarianhamina_-_Mariehamn Saltvik Sottunga Sund Vårdö",
}

#: Official Swedish names of the bilingual mainland municipalities (Finnish -> Swedish).
#: Åland's municipalities have Swedish names only (they are the 11re names).
SWEDISH_NAMES: dict[str, str] = {
    "Espoo": "Esbo",
    "Hanko": "Hangö",
    "Helsinki": "Helsingfors",
    "Inkoo": "Ingå",
    "Pietarsaari": "Jakobstad",
    "Kokkola": "Karleby",
    "Kaskinen": "Kaskö",
    "Kemiönsaari": "Kimitoön",
    "Kristiinankaupunki": "Kristinestad",
    "Kruunupyy": "Kronoby",
    "Kirkkonummi": "Kyrkslätt",
    "Lapinjärvi": "Lappträsk",
    "Luoto": "Larsmo",
    "Loviisa": "Lovisa",
    "Maalahti": "Malax",
    "Maarianhamina - Mariehamn": "Mariehamn",
    "Myrskylä": "Mörskom",
    "Uusikaarlepyy": "Nykarleby",
    "Närpiö": "Närpes",
    "Parainen": "Pargas",
    "Pedersören kunta": "Pedersöre",
    "Raasepori": "Raseborg",
    "Sipoo": "Sibbo",
    "Siuntio": "Sjundeå",
    "Vantaa": "Vanda",
    "Vaasa": "Vasa",
    "Vöyri": "Vörå",
    "Turku": "Åbo",
    "Porvoo": "Borgå",
    "Pornainen": "Borgnäs",
    "Kauniainen": "Grankulla",
    "Mustasaari": "Korsholm",
    "Pyhtää": "Pyttis",
    "Korsnäs": "Korsnäs",
    "Lohja": "Lojo",
}
