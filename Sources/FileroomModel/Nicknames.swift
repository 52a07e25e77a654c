/// Common English given names and the short forms people go by. Two names are nicknames of each other when
/// some group holds both: `Bob` and `Robert`, `Peggy` and `Margaret`, but not `Bob` and `Rob`'s unrelated
/// namesakes. A name may sit in several groups (`Al`: Albert, Alan, Alfred, Alexander).
public enum Nicknames {
    /// One line per formal name: the formal name first, then its short and pet forms.
    public static let groups: [String] = [
        "abigail abby abbie gail", "abraham abe bram", "adam ad", "adrian adrienne", "agnes aggie nessa",
        "albert al bert bertie", "alan al allen allan", "alfred al alf fred freddie", "alexander al alex sandy xander",
        "alexandra alex alexa lexi sandra sandy", "alexis lexi alex", "alice allie ally", "alicia ali allie",
        "alison ali allie", "allison ali allie", "amanda mandy manda", "amelia amy millie mia", "andrew andy drew",
        "angela angie", "ann annie nan", "anne annie nan", "anna annie", "anthony tony ant",
        "antoinette toni netta", "arnold arnie", "arthur art artie", "barbara barb barbie babs bobbie",
        "beatrice bea trixie", "benjamin ben benny benji", "bernard bernie", "beverly bev", "bradley brad",
        "brandon brand", "brenda bren", "bridget biddy bridie", "calvin cal", "cameron cam", "carol carrie",
        "caroline carrie carol lina", "catherine cathy cath kate katie kathy cat", "cassandra cassie sandy",
        "charles charlie chuck chaz chas", "charlotte charlie lottie", "christina chris tina chrissy",
        "christine chris tina chrissy", "christopher chris kit topher", "clarence clare", "clifford cliff",
        "cornelius neil", "cynthia cindy", "daniel dan danny", "danielle dani", "david dave davey", "deborah debbie deb debra",
        "debra debbie deb", "dennis denny", "diana di", "dominic dom", "donald don donnie", "dorothy dot dottie dolly",
        "douglas doug", "edward ed eddie ted ned", "edwin ed eddie", "eleanor ellie nell nora",
        "elizabeth liz beth betty betsy lisa eliza libby lizzie bess", "ellen ellie nell",
        "emily em emmy", "emma em", "eugene gene", "evelyn evie", "frances fran frannie", "francis frank fran",
        "franklin frank", "frederick fred freddie", "gabriel gabe", "gabrielle gabby", "geoffrey geoff jeff",
        "gerald gerry jerry", "gertrude gertie trudy", "gilbert gil", "gregory greg", "gwendolyn gwen",
        "harold harry hal", "harriet hattie", "henry hank harry hal", "herbert herb bert", "howard howie",
        "isaac ike", "isabel izzy belle", "isabella izzy bella", "jacob jake jack", "jacqueline jackie jacky",
        "james jim jimmy jamie", "jane jenny janie", "janet jan", "jason jay", "jeffrey jeff", "jennifer jen jenny jenn",
        "jeremy jerry", "jessica jess jessie", "joan joanie", "john jack johnny jon", "jonathan jon jonny nathan",
        "joseph joe joey", "josephine jo josie", "joshua josh", "judith judy jude", "julia julie jules",
        "katherine kathy kate katie kat kay kit", "kathleen kathy kate katie", "kathryn kathy kate katie",
        "kenneth ken kenny", "kimberly kim kimmy", "kristen kris kristy", "kristina kris tina", "lawrence larry",
        "laurence larry", "leonard leo len lenny", "leslie les", "lillian lily lil", "louis lou louie", "louise lou",
        "lucille lucy", "lucinda lucy cindy", "madeline maddie madge", "madison maddie", "margaret peggy maggie meg marge margie greta",
        "marjorie marge margie", "martha marty mattie", "martin marty", "mary molly polly mae mamie",
        "matthew matt matty", "melissa missy mel lisa", "melvin mel", "michael mike mikey mick mickey",
        "michelle shelly mickey", "mildred millie", "miriam mimi", "mitchell mitch", "nancy nan", "natalie nat",
        "nathan nate nat", "nathaniel nate nat nathan", "nicholas nick nicky", "nicole nikki nicky",
        "norman norm", "oliver ollie", "pamela pam", "patricia pat patty trish tricia", "patrick pat paddy",
        "peter pete", "philip phil", "phillip phil", "priscilla cilla", "rachel rae", "randall randy",
        "raymond ray", "rebecca becky becca", "reginald reggie reg", "richard dick rick ricky rich richie",
        "robert bob bobby rob robbie bert", "roberta bobbie robbie", "rodney rod", "ronald ron ronnie",
        "rosalind roz", "rosemary rose", "russell russ", "samantha sam sammy", "samuel sam sammy",
        "sandra sandy", "sarah sally sadie", "sara sally", "sharon shari", "sidney sid", "stanley stan",
        "stephanie steph stevie", "stephen steve", "steven steve", "stuart stu", "susan sue suzy susie",
        "suzanne sue suzy", "sylvia syl", "terence terry", "teresa terry tess tessa", "theresa terry tess tessa",
        "theodore ted teddy theo", "thomas tom tommy", "timothy tim timmy", "tobias toby", "valerie val",
        "veronica ronnie vera", "victoria vicky tori", "vincent vince vinny", "virginia ginny ginger",
        "vivian viv", "walter walt wally", "wendy gwendolyn", "wesley wes", "wilfred will fred",
        "william bill billy will willie liam", "winifred winnie", "zachary zach zack", "jessie jess",
        "cristina chris tina", "frederica freddie", "harrison harry", "jackson jack", "leroy lee roy",
        "lorraine lori", "loretta lori retta", "lori lorraine", "maureen mo", "maurice mo", "morris mo",
        "ernest ernie", "eugenia gina", "georgina gina", "regina gina", "gregg greg", "gwendoline gwen",
        "allison allie", "ashley ash", "beverley bev", "bradford brad", "bartholomew bart", "cecilia cece",
        "clement clem", "cuthbert bert", "delores dee lola", "dolores dee lola", "desmond des", "elaine lainie",
        "ellis eli", "elijah eli", "eli elijah", "esther essie", "evangeline eva angie", "florence flo",
        "gordon gordy", "ignatius iggy", "irene renie", "jacquelyn jackie", "janice jan", "jerome jerry",
        "josiah josie", "lenora nora", "leonora nora", "marvin marv", "maxwell max", "maximilian max",
        "montgomery monty", "nelson nels", "penelope penny", "percival percy", "prudence prue",
        "quentin quinn", "rhonda ronnie", "roland rollie", "sebastian seb", "solomon sol", "sophia sophie",
        "spencer spence", "tabitha tabby", "thaddeus tad", "tamara tammy", "tammy tamara", "trevor trev",
        "ulysses lyss", "vernon vern", "wallace wally", "warren ren", "winston win", "yvonne vonnie",
        "zachariah zach zack", "kristopher kris chris", "christian chris", "jennie jenny", "kimberley kim",
        "lauren laurie", "laura laurie", "stacy stace", "anastasia stacy ana", "shelby shel", "courtney court",
        "whitney whit", "brittany britt", "tiffany tiff", "curtis curt",
        "philippa pippa", "scott scotty", "catharine cathy kate",
    ]

    /// Name to the groups it belongs to.
    private static let membership: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for (index, line) in groups.enumerated() {
            for name in line.split(separator: " ") {
                let key = String(name)
                if map[key]?.last != index { map[key, default: []].append(index) }
            }
        }
        return map
    }()

    /// The groups holding a folded name key, sorted; empty for a name the table does not know.
    public static func groupIDs(_ key: String) -> [Int] { membership[key] ?? [] }

    /// True when two folded name keys are different names of the same person by the table.
    public static func areNicknames(_ a: [Int], _ b: [Int]) -> Bool {
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
