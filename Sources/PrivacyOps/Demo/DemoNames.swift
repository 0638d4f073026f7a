/// Names, places and words the demo store is made of: international on purpose (accents, CJK,
/// right-to-left scripts are left out to keep terminals sane), plus a few hostile strings that
/// show the console's sanitising.
enum DemoNames {
    /// (given, family, romanised for e-mail, family-name-first)
    static let people: [(String, String, String, Bool)] = [
        ("Amélie", "Dubois", "amelie.dubois", false), ("José", "García", "jose.garcia", false),
        ("Zoë", "Müller", "zoe.mueller", false), ("Björn", "Ångström", "bjorn.angstrom", false),
        ("Chloé", "Lefèvre", "chloe.lefevre", false), ("Łukasz", "Wiśniewski", "lukasz.wisniewski", false),
        ("Siobhán", "Ní Bhriain", "siobhan.nibhriain", false), ("François", "Gaillard", "francois.gaillard", false),
        ("Nuño", "Peña", "nuno.pena", false), ("Søren", "Kierkegård", "soren.kierkegard", false),
        ("Ayşe", "Yılmaz", "ayse.yilmaz", false), ("Antonín", "Dvořák", "antonin.dvorak", false),
        ("太郎", "山田", "taro.yamada", true), ("花子", "佐藤", "hanako.sato", true),
        ("伟", "王", "wei.wang", true), ("秀英", "李", "xiuying.li", true),
        ("민준", "김", "minjun.kim", true), ("서연", "이", "seoyeon.lee", true),
        ("Ngọc", "Nguyễn", "ngoc.nguyen", false), ("Thảo", "Trần", "thao.tran", false),
        ("Олег", "Иванов", "oleg.ivanov", false), ("Анна", "Смирнова", "anna.smirnova", false),
        ("Priya", "Sharma", "priya.sharma", false), ("Arjun", "Patel", "arjun.patel", false),
        ("Emma", "Johnson", "emma.johnson", false), ("Liam", "Smith", "liam.smith", false),
        ("Olivia", "Brown", "olivia.brown", false), ("Noah", "Williams", "noah.williams", false),
        ("Sofía", "Rodríguez", "sofia.rodriguez", false), ("Mateo", "Hernández", "mateo.hernandez", false),
        ("Ingrid", "Østergaard", "ingrid.ostergaard", false), ("Kalani", "Akana", "kalani.akana", false),
        ("Άννα", "Παπαδοπούλου", "anna.papadopoulou", false), ("Jürgen", "Groß", "juergen.gross", false),
        ("Maëlle", "Le Goff", "maelle.legoff", false), ("Oğuz", "Çelik", "oguz.celik", false),
        ("João", "Conceição", "joao.conceicao", false), ("Eleanor", "O'Brien", "eleanor.obrien", false),
        ("陽葵", "高橋", "himari.takahashi", true), ("Chinedu", "Okafor", "chinedu.okafor", false),
    ]

    static let domains = ["example.com", "example.org", "example.net", "mail.example", "post.example.co.uk", "web.example.de"]

    static let streets: [(String, String)] = [
        ("Rue de Rivoli", "75001 Paris, France"), ("Calle Mayor", "28013 Madrid, Spain"),
        ("Hauptstraße", "10115 Berlin, Germany"), ("Main Street", "Springfield, IL 62701, USA"),
        ("Baker Street", "London NW1 6XE, United Kingdom"), ("Via Roma", "00184 Roma, Italy"),
        ("Strøget", "1160 København, Denmark"), ("銀座", "東京都中央区 104-0061, Japan"),
        ("Nguyễn Huệ", "Quận 1, TP. Hồ Chí Minh, Vietnam"), ("Queen Street", "Auckland 1010, New Zealand"),
        ("Avenida Paulista", "01310-100 São Paulo, Brazil"), ("Elm Avenue", "Toronto, ON M5V 2T6, Canada"),
    ]

    static let phoneFormats = ["+1 (555) %03d-%04d", "+44 20 7946 %04d", "+33 1 %02d %02d %02d %02d", "+49 30 %04d%04d",
                               "+81 3-%04d-%04d", "555-%03d-%04d", "+61 2 %04d %04d"]

    static let services = ["hosting", "email", "domains", "backup", "vps", "ssl", "dns"]

    static let subjects = [
        "Invoice question", "Re: Meeting on Thursday", "Your order has shipped", "Quarterly report draft",
        "=?UTF-8?B?5Lya6K2w44Gu44GK55+l44KJ44Gb?=", "=?ISO-8859-1?Q?R=E9union_de_l'=E9quipe?=",
        "Holiday photos 🎉", "URGENT: verify your account", "Fwd: contract (signed)", "Nächste Woche",
        "Free money!!! Click here", "Re: Re: Re: the thing we discussed",
        "Weird \u{1B}[31mred\u{1B}[0m subject", "Project Ωmega kickoff",
    ]

    static let bodies = [
        "Hello,\n\nplease find the details below.\n\nBest regards\n",
        "Hi there!\n\nJust checking in about last week.\n\nCheers\n",
        "You have WON a prize. Send your bank details to claim it.\n",
        "Dear customer,\n\nyour account will be closed unless you log in at http://phish.example/login\n",
        "Meeting moved to 3pm. Agenda attached.\n",
        "こんにちは。来週の会議について確認させてください。\n",
    ]

    static let reportReasons = [
        "recipient says this is phishing", "spam complaint from a third party", "threatening language reported",
        "automated filter flagged malware link", "copyright complaint", "harassment reported by another customer",
        "Terms of Use complaint: bulk unsolicited mail",
    ]
}
