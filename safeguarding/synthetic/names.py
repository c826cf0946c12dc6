"""Name lists, ethnicity proportions and first languages for synthetic people.

Every list here was written for this project: common given and family names for each heritage,
with the apostrophes, hyphens and diacritics real records carry (O'Connor, Zoë, Siobhán, Nguyễn).
No list is a sample of real people; combinations are drawn at random.

Ethnicity uses the CIN census codes (people.codes.Ethnicity). The weights approximate the child
population of England (Census 2021 and the school census, rounded): White British about 69%,
any other White background 6%, Asian 12%, Black 5%, mixed 6%, other 2%, not obtained or refused 1%.
They are national figures; real local authorities differ widely from them.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

# --- Ethnicity --------------------------------------------------------------------------------

_MINORITY_WEIGHTS: dict[str, float] = {
    "WIRI": 0.003,
    "WIRT": 0.002,
    "WOTH": 0.060,
    "WROM": 0.005,
    "MWBC": 0.015,
    "MWBA": 0.008,
    "MWAS": 0.016,
    "MOTH": 0.018,
    "AIND": 0.030,
    "APKN": 0.038,
    "ABAN": 0.017,
    "AOTH": 0.018,
    "BCRB": 0.007,
    "BAFR": 0.035,
    "BOTH": 0.007,
    "CHNE": 0.006,
    "OOTH": 0.015,
    "REFU": 0.003,
    "NOBT": 0.007,
}
ETHNICITY_WEIGHTS: dict[str, float] = {"WBRI": round(1.0 - sum(_MINORITY_WEIGHTS.values()), 3), **_MINORITY_WEIGHTS}

# Heritage of the two parents (mother first) for a child of each ethnicity. Mixed codes pair two
# heritages; "any" picks a heritage as the population does.
PARENT_HERITAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "WBRI": (("british",), ("british",)),
    "WIRI": (("irish",), ("irish", "british")),
    "WIRT": (("traveller",), ("traveller",)),
    "WOTH": (("other_white",), ("other_white",)),
    "WROM": (("roma",), ("roma",)),
    "MWBC": (("british", "caribbean"), ("caribbean", "british")),
    "MWBA": (("british", "african"), ("african", "british")),
    "MWAS": (("british",), ("indian", "pakistani", "bangladeshi", "other_asian", "chinese")),
    "MOTH": (("british", "other_white", "arab_other"), ("african", "other_asian", "caribbean", "arab_other")),
    "AIND": (("indian",), ("indian",)),
    "APKN": (("pakistani",), ("pakistani",)),
    "ABAN": (("bangladeshi",), ("bangladeshi",)),
    "AOTH": (("other_asian",), ("other_asian",)),
    "BCRB": (("caribbean",), ("caribbean",)),
    "BAFR": (("african",), ("african",)),
    "BOTH": (("african", "caribbean"), ("caribbean", "african")),
    "CHNE": (("chinese",), ("chinese",)),
    "OOTH": (("arab_other",), ("arab_other",)),
    "REFU": (("any",), ("any",)),
    "NOBT": (("any",), ("any",)),
}

# Broad heritages made of several name traditions: a household draws one (weights ~ UK populations).
HERITAGE_GROUPS: dict[str, tuple[tuple[str, float], ...]] = {
    "other_white": (
        ("polish", 0.35),
        ("romanian", 0.25),
        ("portuguese", 0.12),
        ("southern_european", 0.12),
        ("turkish", 0.08),
        ("bulgarian", 0.08),
    ),
    "roma": (("roma", 0.6), ("romany_gypsy", 0.4)),
    "other_asian": (
        ("sri_lankan_tamil", 0.25),
        ("nepali", 0.2),
        ("filipino", 0.15),
        ("vietnamese", 0.12),
        ("afghan", 0.2),
        ("east_asian", 0.08),
    ),
    "african": (
        ("nigerian", 0.38),
        ("ghanaian", 0.15),
        ("somali", 0.2),
        ("horn_of_africa", 0.1),
        ("zimbabwean", 0.1),
        ("congolese", 0.07),
    ),
    "arab_other": (("arab", 0.45), ("kurdish", 0.2), ("iranian", 0.15), ("latin_american", 0.2)),
}

# The ethnicity recorded for an adult of each heritage group.
GROUP_ETHNICITY: dict[str, str] = {
    "british": "WBRI",
    "irish": "WIRI",
    "traveller": "WIRT",
    "other_white": "WOTH",
    "roma": "WROM",
    "indian": "AIND",
    "pakistani": "APKN",
    "bangladeshi": "ABAN",
    "other_asian": "AOTH",
    "caribbean": "BCRB",
    "african": "BAFR",
    "chinese": "CHNE",
    "arab_other": "OOTH",
}


@dataclass(frozen=True)
class Heritage:
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    family: tuple[str, ...]
    # Given names for adults when they differ by generation (British names date quickly).
    men: tuple[str, ...] = ()
    women: tuple[str, ...] = ()
    older_men: tuple[str, ...] = ()
    older_women: tuple[str, ...] = ()
    # (language, weight) for adults; children born here speak English first more often.
    languages: tuple[tuple[str, float], ...] = (("English", 1.0),)
    child_english_share: float = 1.0


def _t(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


HERITAGES: dict[str, Heritage] = {
    "british": Heritage(
        boys=_t(
            "Oliver, George, Harry, Noah, Jack, Leo, Arthur, Oscar, Charlie, Jacob, Thomas, Henry, William,"
            "Freddie, Alfie, Theo, Archie, Joshua, James, Ethan, Logan, Mason, Riley, Lucas, Isaac, Finley,"
            "Alexander, Max, Daniel, Samuel, Joseph, Dylan, Tyler, Callum, Kyle, Liam, Ryan, Lewis, Jayden,"
            "Harvey, Reuben, Tommy, Ronnie, Albie, Teddy, Jude, Rory, Ellis, Bobby, Noël, Rhys, Dafydd, Euan,"
            "Hamish, Kai, Louie, Stanley, Sonny, Frankie, Jenson, Brandon, Connor, Kian, Elliot, Toby"
        ),
        girls=_t(
            "Olivia, Amelia, Isla, Ava, Mia, Ivy, Lily, Isabella, Rosie, Sophia, Grace, Freya, Willow, Florence,"
            "Emily, Ella, Poppy, Evie, Elsie, Charlotte, Evelyn, Sienna, Daisy, Phoebe, Millie, Ruby, Chloe,"
            "Jessica, Holly, Megan, Lauren, Amber, Lacey, Kayleigh, Zoë, Chloë, Maisie, Erin, Harriet, Imogen,"
            "Layla, Skye, Eliza, Matilda, Esmé, Beatrice, Lottie, Summer, Darcie, Mollie, Renée, Ffion, Cerys,"
            "Seren, Eilidh, Morag, Isobel, Bethany, Courtney, Paige, Tia-Mae, Lexi, Ellie-May, Aimee"
        ),
        family=_t(
            "Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson,"
            "Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Jackson,"
            "Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, Harrison,"
            "Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett, Young, Griffiths,"
            "Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox,"
            "Richards, Marshall, Anderson, Simpson, Ellis, Adams, Wilkinson, Foster, Chapman, Powell, Webb,"
            "Rogers, Gray, Mason, Hunt, Campbell, Matthews, Owen, Palmer, Holmes, Mills, Barnes, Knight,"
            "Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins, Dixon, Fletcher, Pearson, Fox, Harvey,"
            "Hamilton, Gibson, Fraser, MacDonald, McKenzie, Armstrong, Sutherland, Llewellyn, Pritchard,"
            "Smith-Jones, Taylor-Brown, Hughes-Evans, Parry-Williams, Clarke-Hall, D'Arcy, O'Neill,"
            "Featherstone, Ramsbottom, Cholmondeley, ap Rhys, St John, Fitzpatrick, McIntyre, Stewart"
        ),
        men=_t(
            "Daniel, Matthew, James, Christopher, Andrew, David, Michael, Thomas, Adam, Craig, Lee, Darren,"
            "Jamie, Ashley, Paul, Mark, Stuart, Ryan, Liam, Carl, Dean, Shaun, Kieran, Gareth, Scott, Wayne,"
            "Jason, Steven, Richard, Nathan, Jordan, Callum, Luke, Dale, Gavin, Jonathan, Neil, Robert, Sean,"
            "Kevin, Aled, Rhodri, Alistair, Gregor"
        ),
        women=_t(
            "Sarah, Emma, Laura, Rebecca, Gemma, Kelly, Claire, Nicola, Amy, Jessica, Hannah, Stacey, Kirsty,"
            "Leanne, Charlotte, Samantha, Danielle, Natalie, Jade, Rachel, Lisa, Michelle, Katie, Sophie, Zoë,"
            "Hayley, Louise, Jennifer, Victoria, Kerry, Joanne, Amanda, Chelsea, Shannon, Chantelle, Toni,"
            "Jodie, Abbie, Lucy, Carly, Siân, Rhiannon, Kirsteen"
        ),
        older_men=_t(
            "John, David, Peter, Michael, Brian, Keith, Alan, Graham, Stephen, Robert, Colin, Terry, Barry,"
            "Roger, Malcolm, Kenneth, Geoffrey, Derek, Trevor, Philip, Anthony, Ian, Gary, Martin, Kevin, Nigel"
        ),
        older_women=_t(
            "Susan, Linda, Margaret, Christine, Patricia, Janet, Carol, Elaine, Karen, Julie, Jacqueline,"
            "Gillian, Sandra, Pauline, Wendy, Lesley, Denise, Tracey, Dawn, Angela, Sharon, Maureen, Beverley,"
            "Jean, Brenda, Diane"
        ),
        languages=(("English", 0.985), ("Welsh", 0.01), ("British Sign Language", 0.005)),
    ),
    "irish": Heritage(
        boys=_t(
            "Seán, Ciarán, Oisín, Cian, Darragh, Conor, Patrick, Liam, Eoin, Niall, Ruairí, Pádraig, Declan,"
            "Finn, Tadhg, Cillian, Diarmuid, Fionn"
        ),
        girls=_t(
            "Siobhán, Aoife, Niamh, Saoirse, Caoimhe, Róisín, Orla, Ciara, Sinéad, Áine, Clodagh, Éabha,"
            "Aisling, Gráinne, Méabh, Nuala, Bríd"
        ),
        family=_t(
            "O'Connor, O'Brien, Murphy, Kelly, O'Sullivan, Walsh, McCarthy, Byrne, Ryan, O'Neill, Doyle,"
            "Gallagher, Kennedy, Lynch, Quinn, Brennan, Fitzgerald, Ó Briain, Mac Cárthaigh, Ó Súilleabháin,"
            "Ní Dhónaill, McLoughlin, Donnelly, Kavanagh"
        ),
        languages=(("English", 0.95), ("Irish", 0.05)),
    ),
    "traveller": Heritage(
        boys=_t("Patrick, Michael, John, Martin, Johnny, Thomas, Jimmy, Bernard, Francie, Christy, Tommy, Mikey"),
        girls=_t(
            "Bridget, Mary, Margaret, Kathleen, Winnie, Nora, Tiffany, Chelsea, Shannon, Josie, Mary-Ann, Bridgie"
        ),
        family=_t(
            "Ward, Joyce, McDonagh, Connors, Doherty, Maughan, McGinley, Cash, Stokes, Delaney, Sweeney,"
            "O'Driscoll, Purcell, Collins, Mongan, McInerney"
        ),
        languages=(("English", 0.9), ("Shelta", 0.1)),
    ),
    # Any other White background: each household draws one of these.
    "polish": Heritage(
        boys=_t("Jakub, Łukasz, Kacper, Szymon, Filip, Mikołaj, Wojciech, Bartosz, Antoni, Franciszek, Piotr, Paweł"),
        girls=_t("Zofia, Zuzanna, Julia, Maja, Hanna, Wiktoria, Natalia, Oliwia, Małgorzata, Agnieszka, Lena, Alicja"),
        family=_t(
            "Nowak, Kowalski, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, Dąbrowski, Szymański, Woźniak,"
            "Kozłowski, Mazur, Krawczyk"
        ),
        languages=(("Polish", 0.9), ("English", 0.1)),
        child_english_share=0.3,
    ),
    "romanian": Heritage(
        boys=_t("Andrei, Ionuț, Mihai, Alexandru, Ștefan, Gabriel, David, Darius, Cristian, Florin"),
        girls=_t("Ana, Maria, Ioana, Elena, Bianca, Andreea, Alexandra, Daria, Ramona, Mădălina"),
        family=_t("Popescu, Ionescu, Popa, Dumitru, Stan, Munteanu, Constantin, Georgescu, Rusu, Lungu, Moldovan"),
        languages=(("Romanian", 0.92), ("English", 0.08)),
        child_english_share=0.25,
    ),
    "portuguese": Heritage(
        boys=_t("João, Tiago, Gonçalo, Rodrigo, Afonso, Duarte, Rui, Nuno"),
        girls=_t("Beatriz, Inês, Leonor, Matilde, Carolina, Mariana, Joana, Catarina"),
        family=_t("Silva, Santos, Ferreira, Pereira, Oliveira, Gonçalves, Rodrigues, Fernandes, Sousa, da Costa"),
        languages=(("Portuguese", 0.85), ("English", 0.15)),
        child_english_share=0.4,
    ),
    "southern_european": Heritage(
        boys=_t("Luca, Marco, Alessandro, Matteo, Alejandro, Pablo, Javier, Nikos, Giorgos, Dimitris"),
        girls=_t("Giulia, Sofia, Chiara, Francesca, Lucía, Carmen, Elena, Eleni, Maria, Katerina"),
        family=_t(
            "Rossi, Russo, Esposito, Bianchi, Romano, García, Fernández, Martínez, López, Papadopoulos, Georgiou,"
            "Nikolaidis, De Luca"
        ),
        languages=(("Italian", 0.35), ("Spanish", 0.35), ("Greek", 0.15), ("English", 0.15)),
        child_english_share=0.5,
    ),
    "turkish": Heritage(
        boys=_t("Emre, Yusuf, Mehmet, Mustafa, Kerem, Eren, Ömer, Burak"),
        girls=_t("Elif, Zeynep, Ayşe, Defne, Ecrin, Meryem, Esra, Büşra"),
        family=_t("Yılmaz, Kaya, Demir, Çelik, Şahin, Yıldız, Öztürk, Aydın, Arslan, Doğan"),
        languages=(("Turkish", 0.85), ("English", 0.15)),
        child_english_share=0.4,
    ),
    "bulgarian": Heritage(
        boys=_t("Dimitar, Georgi, Ivan, Nikolai, Aleksandar, Martin, Viktor, Hristo"),
        girls=_t("Desislava, Maria, Elena, Viktoria, Gergana, Yoana, Nikol, Radostina"),
        family=_t("Ivanov, Petrov, Georgiev, Dimitrov, Nikolov, Todorov, Stoyanov, Kolev"),
        languages=(("Bulgarian", 0.88), ("English", 0.12)),
        child_english_share=0.3,
    ),
    # Gypsy/Roma: Roma families from central Europe, and English Romany Gypsy families.
    "roma": Heritage(
        boys=_t("Dominik, Patrik, Denis, Marek, Erik, Roman, Matej, Adrian, Lukáš, René"),
        girls=_t("Denisa, Nikola, Kristína, Veronika, Simona, Monika, Mirela, Vanesa, Klaudia"),
        family=_t("Balog, Lakatos, Horváth, Kaleja, Duka, Oláh, Sárközi, Gábor, Mirga, Rafael, Ferenc"),
        languages=(("Romani", 0.4), ("Slovak", 0.25), ("Czech", 0.2), ("Romanian", 0.1), ("English", 0.05)),
        child_english_share=0.3,
    ),
    "romany_gypsy": Heritage(
        boys=_t("Levi, Elijah, Tyson, Romeo, Jimmy, Shane, Noah, Henry, Isaac, Moses"),
        girls=_t("Bethany, Tallulah, Dolly, Lavinia, Mia-Rose, Lilly, Britney, Shaunna, Violet"),
        family=_t("Lee, Boswell, Loveridge, Lovell, Buckley, Price, Cooper, Smith, Hearn, Ayres, Draper"),
        languages=(("English", 0.9), ("Romani", 0.1)),
    ),
    "indian": Heritage(
        boys=_t(
            "Arjun, Aarav, Rohan, Vihaan, Krish, Aryan, Dev, Ishaan, Jaspreet, Manpreet, Rajesh, Sanjay, Vijay,"
            "Amit, Rahul, Nikhil, Sunil, Harjeet, Karan, Veer"
        ),
        girls=_t(
            "Priya, Ananya, Aanya, Diya, Isha, Kavya, Saanvi, Riya, Anjali, Pooja, Neha, Simran, Harleen,"
            "Navneet, Meera, Sunita, Deepa, Jasleen, Avni"
        ),
        family=_t(
            "Patel, Singh, Sharma, Gupta, Shah, Mistry, Parmar, Chauhan, Kumar, Sandhu, Gill, Dhillon, Bains,"
            "Joshi, Mehta, Desai, Nair, Pillai, D'Souza, Fernandes, Chopra, Lal"
        ),
        languages=(
            ("Gujarati", 0.25),
            ("Punjabi", 0.3),
            ("Hindi", 0.1),
            ("Tamil", 0.08),
            ("Malayalam", 0.07),
            ("English", 0.2),
        ),
        child_english_share=0.55,
    ),
    "pakistani": Heritage(
        boys=_t(
            "Muhammad, Mohammed, Ibrahim, Hamza, Yusuf, Ayaan, Zayn, Adam, Bilal, Imran, Tariq, Asif, Usman,"
            "Faisal, Abdullah, Zakariya, Rehan, Haris"
        ),
        girls=_t(
            "Aisha, Maryam, Fatima, Zainab, Hafsa, Khadija, Amina, Hania, Inaya, Mahnoor, Sana, Nadia, Shazia,"
            "Rabia, Samina, Ayesha, Anaya, Eman"
        ),
        family=_t(
            "Khan, Hussain, Ahmed, Akhtar, Iqbal, Mahmood, Butt, Ali, Shah, Rashid, Malik, Raja, Chaudhry,"
            "Qureshi, Anwar, Aslam, Javed, Mirza"
        ),
        languages=(("Urdu", 0.35), ("Punjabi", 0.3), ("Pashto", 0.05), ("Mirpuri", 0.1), ("English", 0.2)),
        child_english_share=0.45,
    ),
    "bangladeshi": Heritage(
        boys=_t(
            "Rayan, Tahmid, Fahim, Abdul, Shahid, Nabil, Rafiq, Sajid, Tanvir, Arif, Mizanur, Rubel, Jamal,"
            "Sufian, Ayaan, Zakir"
        ),
        girls=_t(
            "Nusrat, Sumaiya, Tasnim, Fariha, Jannat, Sadia, Rumana, Shirin, Tania, Nazia, Halima, Rokeya,"
            "Shamima, Farzana, Maisha, Raisa"
        ),
        family=_t(
            "Rahman, Miah, Islam, Uddin, Ali, Hoque, Ahmed, Chowdhury, Hossain, Karim, Alam, Sarkar, Ullah,"
            "Haque, Bhuiyan"
        ),
        languages=(("Bengali (Sylheti)", 0.55), ("Bengali", 0.3), ("English", 0.15)),
        child_english_share=0.35,
    ),
    # Any other Asian background.
    "sri_lankan_tamil": Heritage(
        boys=_t("Kavin, Tharun, Aathavan, Sajeevan, Niroshan, Kajan, Thivakar"),
        girls=_t("Nila, Tharsha, Kavitha, Abirami, Sharmila, Thanushika, Yalini"),
        family=_t("Sivakumar, Rajendran, Balasubramaniam, Thevarajah, Nadarajah, Selvarajah, Kanagaratnam"),
        languages=(("Tamil", 0.85), ("English", 0.15)),
        child_english_share=0.4,
    ),
    "nepali": Heritage(
        boys=_t("Sujan, Bikash, Prakash, Roshan, Aayush, Sandesh, Kiran"),
        girls=_t("Anisha, Sabina, Sushma, Pooja, Asmita, Srijana, Kabita"),
        family=_t("Gurung, Thapa, Rai, Limbu, Tamang, Magar, Pun, Shrestha"),
        languages=(("Nepali", 0.8), ("English", 0.2)),
        child_english_share=0.4,
    ),
    "filipino": Heritage(
        boys=_t("Joshua, Angelo, John Paul, Mark, Christian, Jericho, Miguel"),
        girls=_t("Kristine, Mary Grace, Jasmine, Angelica, Princess, Maricel, Joy"),
        family=_t("Santos, Reyes, Cruz, Bautista, dela Cruz, Garcia, Mendoza, Villanueva, de Guzman"),
        languages=(("Tagalog", 0.6), ("English", 0.4)),
        child_english_share=0.7,
    ),
    "vietnamese": Heritage(
        boys=_t("Minh, Huy, Khang, Đức, Nam, Bảo, Quang"),
        girls=_t("Linh, Thảo, Ngọc, Hương, Trang, Mai, Phương"),
        family=_t("Nguyễn, Trần, Lê, Phạm, Hoàng, Võ, Đặng, Bùi, Đỗ"),
        languages=(("Vietnamese", 0.9), ("English", 0.1)),
        child_english_share=0.35,
    ),
    "afghan": Heritage(
        boys=_t("Ahmad, Mustafa, Farhad, Naveed, Sohrab, Wahid, Elyas"),
        girls=_t("Sahar, Parwana, Mariam, Zarghona, Nargis, Shabnam, Freshta"),
        family=_t("Ahmadi, Rahimi, Popal, Sultani, Noori, Stanikzai, Hakimi, Safi"),
        languages=(("Dari", 0.6), ("Pashto", 0.35), ("English", 0.05)),
        child_english_share=0.3,
    ),
    "east_asian": Heritage(
        boys=_t("Haruto, Sota, Ren, Min-jun, Ji-ho, Seo-jun"),
        girls=_t("Yuna, Hina, Aoi, Ji-woo, Seo-yeon, Ha-eun"),
        family=_t("Tanaka, Suzuki, Sato, Watanabe, Kim, Park, Choi, Jung"),
        languages=(("Japanese", 0.45), ("Korean", 0.45), ("English", 0.1)),
        child_english_share=0.4,
    ),
    "caribbean": Heritage(
        boys=_t(
            "Jayden, Tyrese, Kemar, Dwayne, Marcus, Andre, Jerome, Kareem, Leon, Delroy, Winston, Tyrell,"
            "Jermaine, Nathaniel, Malachi, Elijah, Josiah, Isaiah"
        ),
        girls=_t(
            "Shanice, Aaliyah, Keisha, Tianna, Jada, Kiara, Jasmine, Nia, Precious, Shantelle, Destiny, Imani,"
            "Marcia, Paulette, Janelle, Shay-Ann"
        ),
        family=_t(
            "Campbell, Brown, Williams, Francis, Grant, Reid, Thompson, Clarke, Powell, Gordon, Bailey, Henry,"
            "Samuels, Lewis, Morrison, Richards, Edwards, Bennett, Murray, Simpson, McKenzie, Forbes, Wright,"
            "St Louis, Charles-Williams"
        ),
        languages=(("English", 0.97), ("Jamaican Creole", 0.03)),
    ),
    # African: each household draws one of these.
    "nigerian": Heritage(
        boys=_t("Oluwaseun, Chidi, Adebayo, Tobi, Emeka, Femi, Tunde, Ifeanyi, Chinedu, David, Daniel, Samuel"),
        girls=_t("Chiamaka, Adaeze, Funmilayo, Temitope, Ngozi, Blessing, Favour, Esther, Precious, Deborah"),
        family=_t(
            "Okafor, Adeyemi, Okonkwo, Eze, Olawale, Adebayo, Nwosu, Obi, Balogun, Ogunleye, Chukwu, Afolabi,"
            "Oyelaran-Oyeyinka"
        ),
        languages=(("English", 0.45), ("Yoruba", 0.35), ("Igbo", 0.2)),
        child_english_share=0.8,
    ),
    "ghanaian": Heritage(
        boys=_t("Kwame, Kofi, Kwabena, Yaw, Kwesi, Nana, Emmanuel"),
        girls=_t("Ama, Akosua, Efua, Abena, Adwoa, Akua, Esi"),
        family=_t("Mensah, Owusu, Osei, Boateng, Asante, Agyeman, Darko, Appiah"),
        languages=(("English", 0.5), ("Twi", 0.4), ("Ga", 0.1)),
        child_english_share=0.8,
    ),
    "somali": Heritage(
        boys=_t("Abdi, Abdirahman, Mohamed, Abdullahi, Yusuf, Liban, Hamza"),
        girls=_t("Hodan, Ayan, Hibo, Sagal, Fadumo, Ubah, Ikran, Ifrah"),
        family=_t("Mohamed, Abdi, Hassan, Ali, Warsame, Farah, Jama, Omar, Egal, Noor"),
        languages=(("Somali", 0.85), ("English", 0.15)),
        child_english_share=0.4,
    ),
    "horn_of_africa": Heritage(
        boys=_t("Filimon, Yonas, Dawit, Samuel, Biniam, Henok"),
        girls=_t("Senait, Selam, Meron, Helen, Saba, Hiwet"),
        family=_t("Tesfaye, Haile, Tekle, Gebremariam, Berhane, Kidane, Ghebreyesus"),
        languages=(("Tigrinya", 0.6), ("Amharic", 0.3), ("English", 0.1)),
        child_english_share=0.4,
    ),
    "zimbabwean": Heritage(
        boys=_t("Tendai, Tatenda, Tinashe, Farai, Kudakwashe, Tafadzwa"),
        girls=_t("Rutendo, Chipo, Nyasha, Tsitsi, Rumbidzai, Vimbai"),
        family=_t("Moyo, Ncube, Sibanda, Dube, Mpofu, Ndlovu, Chikwanha"),
        languages=(("English", 0.5), ("Shona", 0.35), ("Ndebele", 0.15)),
        child_english_share=0.85,
    ),
    "congolese": Heritage(
        boys=_t("Exaucé, Dieumerci, Jean-Paul, Glody, Christian, Patrick"),
        girls=_t("Grâce, Merveille, Marie-Claire, Divine, Esther, Plamedie"),
        family=_t("Mbala, Kabongo, Ilunga, Tshibanda, Mukendi, Kalonji, Mbuyi"),
        languages=(("French", 0.45), ("Lingala", 0.45), ("English", 0.1)),
        child_english_share=0.45,
    ),
    "chinese": Heritage(
        boys=_t("Wei, Hao, Jun, Yi, Zhi, Ka Ho, Chun, Ethan, Ryan, Jason, Kevin, Marcus, Zihan, Yuxuan"),
        girls=_t("Mei, Jia, Xin, Yan, Hui, Ling, Wing, Chloe, Jessica, Vivian, Michelle, Emily, Zixuan, Yutong"),
        family=_t(
            "Wang, Li, Zhang, Chen, Liu, Wong, Chan, Lam, Cheung, Ng, Ho, Yeung, Lau, Tang, Leung, Huang, Zhou,"
            "Lin, Yip, Au-Yeung"
        ),
        languages=(("Cantonese", 0.4), ("Mandarin", 0.4), ("Hakka", 0.05), ("English", 0.15)),
        child_english_share=0.45,
    ),
    # Any other ethnic group.
    "arab": Heritage(
        boys=_t("Omar, Yusuf, Ali, Karim, Amir, Hassan, Khalid, Mohammed, Zaid, Rami"),
        girls=_t("Layla, Fatima, Noor, Yasmin, Mariam, Hana, Rania, Lina, Dalia, Sara"),
        family=_t("Al-Sayed, Al-Hashimi, Haddad, Mansour, Saleh, Abdullah, Hassan, El-Masri, Abu Bakr, Khoury"),
        languages=(("Arabic", 0.85), ("English", 0.15)),
        child_english_share=0.35,
    ),
    "kurdish": Heritage(
        boys=_t("Rebin, Dilan, Zhilwan, Aram, Hawre, Karwan"),
        girls=_t("Shilan, Avin, Hana, Rozhin, Naza, Shadan"),
        family=_t("Barzani, Ahmed, Rashid, Mahmood, Qadir, Aziz, Karim"),
        languages=(("Kurdish (Sorani)", 0.7), ("Kurdish (Kurmanji)", 0.2), ("English", 0.1)),
        child_english_share=0.3,
    ),
    "iranian": Heritage(
        boys=_t("Arash, Dariush, Kian, Reza, Parsa, Amir"),
        girls=_t("Shirin, Parisa, Nazanin, Yasaman, Ava, Sara"),
        family=_t("Rahimi, Karimi, Hosseini, Mohammadi, Ahmadi, Rostami, Jafari, Tehrani"),
        languages=(("Farsi", 0.85), ("English", 0.15)),
        child_english_share=0.35,
    ),
    "latin_american": Heritage(
        boys=_t("Mateo, Santiago, Sebastián, Diego, Nicolás, Gabriel"),
        girls=_t("Valentina, Camila, Sofía, Isabella, Mariana, Luciana"),
        family=_t("Rodríguez, González, Pérez, Gómez, Hernández, Castillo, Ramírez, dos Santos"),
        languages=(("Spanish", 0.6), ("Portuguese", 0.25), ("English", 0.15)),
        child_english_share=0.4,
    ),
}

# Family names a woman takes in a feminine form (Polish -ski/-cki; Sikh Kaur; Bengali Begum).
_FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


def polish_feminine(family: str) -> str:
    """Kowalski -> Kowalska; other names unchanged."""
    for masculine, feminine in _FEMININE_ENDINGS:
        if family.endswith(masculine):
            return family[: -len(masculine)] + feminine
    return family


def feminine_family_name(family: str, heritage: str, rng: random.Random) -> str:
    """The family name a woman of this heritage would carry, given the family's (masculine) name."""
    if heritage == "polish":
        return polish_feminine(family)
    if heritage == "indian" and family == "Singh":
        return "Kaur"
    if heritage == "bangladeshi" and rng.random() < 0.3:
        return rng.choice(("Begum", "Khatun", "Akter"))
    if heritage == "pakistani" and rng.random() < 0.1:
        return "Bibi"
    return family


def given_name(heritage: str, sex: str, generation: str, rng: random.Random) -> str:
    """A given name for a person of this heritage, sex (M/F/U) and generation (child, adult, older)."""
    h = HERITAGES[heritage]
    male = sex == "M" or (sex == "U" and rng.random() < 0.5)
    if generation == "older" and h.older_men:
        return rng.choice(h.older_men if male else h.older_women)
    if generation in ("adult", "older") and h.men:
        return rng.choice(h.men if male else h.women)
    return rng.choice(h.boys if male else h.girls)


def family_name(heritage: str, rng: random.Random) -> str:
    return rng.choice(HERITAGES[heritage].family)


def first_language(heritage: str, *, is_child: bool, rng: random.Random) -> str:
    h = HERITAGES[heritage]
    if is_child and rng.random() < h.child_english_share:
        return "English"
    languages, weights = zip(*h.languages, strict=True)
    return rng.choices(languages, weights)[0]


def pick_ethnicity(rng: random.Random) -> str:
    return rng.choices(_ETHNICITY_CODES, cum_weights=_ETHNICITY_CUMULATIVE)[0]


def pick_group(rng: random.Random) -> str:
    """A heritage group drawn as the population is (for refused / not obtained ethnicity, and for staff)."""
    code = pick_ethnicity(rng)
    while code in ("REFU", "NOBT"):
        code = pick_ethnicity(rng)
    mother, _father = PARENT_HERITAGES[code]
    return rng.choice(mother)


def pick_heritage(group: str, rng: random.Random) -> str:
    """One name tradition within a heritage group."""
    options = HERITAGE_GROUPS.get(group)
    if options is None:
        return group
    traditions, weights = zip(*options, strict=True)
    return rng.choices(traditions, weights)[0]


def ethnicity_of(heritage: str) -> str:
    """The ethnicity code for an adult whose names come from this tradition."""
    return GROUP_ETHNICITY.get(heritage) or GROUP_ETHNICITY[_GROUP_OF[heritage]]


_GROUP_OF = {tradition: group for group, options in HERITAGE_GROUPS.items() for tradition, _w in options}


_ETHNICITY_CODES = tuple(ETHNICITY_WEIGHTS)
_ETHNICITY_CUMULATIVE = tuple(itertools.accumulate(ETHNICITY_WEIGHTS.values()))

# Gender as a young person states it (recorded for a few aged 12 and over).
STATED_GENDERS = ("Non-binary", "Trans boy", "Trans girl", "Boy", "Girl", "Questioning", "Gender fluid")

# Relatives recorded with the OTHER relationship type.
OTHER_RELATIVES = ("Aunt", "Uncle", "Family friend", "Godparent", "Cousin (adult)", "Neighbour")
