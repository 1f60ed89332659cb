"""Names for the demo city: its people, streets and neighborhoods.

The people are the mix of a Queens or Bronx neighborhood. Each group lists first
names (by gender) and surnames as they are written in the community, with accents
where they belong, and the languages people of the group prefer to be spoken to in.
Weights are rough shares of households; each neighborhood of the demo city
reshuffles them a little so that no two neighborhoods look alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    key: str
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    # (language, weight): the language a person of this group prefers, before age shifts it.
    languages: tuple[tuple[str, int], ...]
    # Chance that a person carries two surnames ("Peña Rodríguez").
    double_surname: float = 0.0
    # Chance that a person has a middle name on record.
    middle_name: float = 0.1


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


GROUPS: tuple[Group, ...] = (
    Group(
        "dominican",
        11,
        _split(
            "María, Yokasta, Yesenia, Rosanna, Altagracia, Yanelis, Massiel, Yudelka, Ana, Carmen, "
            "Milagros, Yolanda, Indhira, Yahaira, Katherine, Leidy, Marisol, Esmeralda, Francheska, "
            "Dayana, Nicole, Génesis, Yaritza, Wendy, Luz, Mercedes, Ramona"
        ),
        _split(
            "José, Juan, Luis, Rafael, Ramón, Francisco, Manuel, Pedro, Jonathan, Yordy, Wilson, Elvis, "
            "Alexander, Félix, Héctor, Starlin, Yunior, Ángel, Miguel, Wander, Joel, Danny, Freddy, "
            "Edwin, Radhamés, Domingo, Anderson"
        ),
        _split(
            "Peña, Rodríguez, Pérez, Santana, Almonte, Reyes, Jiménez, Tavárez, Batista, Núñez, Polanco, "
            "De la Cruz, Rosario, Ventura, Familia, Mejía, Guzmán, Báez, Féliz, Encarnación, Then, Abreu, "
            "Liranzo, Disla, Ureña, Veras, Paulino, Cabrera, Castillo, Marte, Hidalgo, Frías"
        ),
        (("Spanish", 8), ("English", 2)),
        double_surname=0.12,
    ),
    Group(
        "puerto_rican",
        8,
        _split(
            "Carmen, Luz, Nilda, Gladys, Migdalia, Zoraida, Nereida, Iris, Maritza, Wanda, Evelyn, "
            "Jessica, Natalia, Yamilet, Ivelisse, Marilyn, Lourdes, Damaris, Noemí, Brenda, Xiomara, "
            "Glorimar, Yarelis, Coral, Jazmín, Awilda"
        ),
        _split(
            "Ángel, Luis, Carlos, Héctor, Jorge, Edwin, William, Efraín, Orlando, Nelson, Wilfredo, "
            "Israel, Juan, Pedro, Javier, Raymond, Eddie, Jesús, Gilberto, Jaime, Rubén, Alexis, "
            "Xavier, Emmanuel, Kelvin, Samuel"
        ),
        _split(
            "Rivera, Santiago, Colón, Vázquez, Ortiz, Cruz, Rosado, Figueroa, Torres, Ramos, Quiñones, "
            "Maldonado, Meléndez, Negrón, Cintrón, Acevedo, Irizarry, Pagán, Rosa, Morales, Díaz, "
            "Nieves, Velázquez, Matos, Burgos, Serrano, Andino, Otero, Medina, Padilla"
        ),
        (("Spanish", 5), ("English", 5)),
        double_surname=0.05,
    ),
    Group(
        "mexican",
        10,
        _split(
            "Guadalupe, María, Juana, Verónica, Araceli, Rocío, Leticia, Xóchitl, Itzel, Daniela, "
            "Fernanda, Alejandra, Rosalba, Maribel, Elvia, Yesenia, Citlali, Ximena, Brenda, Adriana, "
            "Angélica, Socorro, Marisela, Paola, Berenice, Nayeli"
        ),
        _split(
            "José, Juan, Miguel, Jesús, Francisco, Alejandro, Fernando, Ricardo, Javier, Eduardo, "
            "Arturo, Rogelio, Efrén, Abel, Gerardo, Omar, Isidro, Rubén, Ernesto, Cuauhtémoc, "
            "Salvador, Marco, Diego, Emiliano, Óscar, Joaquín"
        ),
        _split(
            "Hernández, García, Martínez, López, González, Sánchez, Ramírez, Flores, Cruz, Vargas, "
            "Morales, Jiménez, Reyes, Mendoza, Aguilar, Castro, Ortega, Gutiérrez, Chávez, Ruiz, "
            "Domínguez, Juárez, Bautista, Solís, Nava, Pacheco, Tapia, Cortés, Zavala, Rosales, "
            "Ocampo, Galindo"
        ),
        (("Spanish", 8), ("English", 2)),
        double_surname=0.15,
    ),
    Group(
        "ecuadorian",
        9,
        _split(
            "María, Gladys, Mercedes, Rosa, Narcisa, Janeth, Jessenia, Mayra, Jhoanna, Nathaly, Pamela, "
            "Karina, Lorena, Cumandá, Fanny, Lucía, Patricia, Silvia, Tatiana, Viviana, Erika, "
            "Gabriela, Diana, Mónica, Dolores"
        ),
        _split(
            "Segundo, Manuel, Luis, Jorge, Wilson, Byron, Klever, Fausto, Patricio, Marcelo, Fabián, "
            "Holger, Darwin, Washington, Jefferson, Édison, Milton, Galo, Ángel, Freddy, Héctor, "
            "Geovanny, Vinicio, Cristian, Bolívar"
        ),
        _split(
            "Guamán, Quizhpi, Morocho, Chimbo, Sarmiento, Zhunio, Peñaloza, Loja, Tenesaca, Cárdenas, "
            "Cajamarca, Andrade, Villacís, Zambrano, Cevallos, Mosquera, Salazar, Paredes, Naranjo, "
            "Yánez, Pesántez, Calle, Sigüenza, Orellana, Bermeo, Vintimilla, Espinoza, Tapia"
        ),
        (("Spanish", 8), ("English", 1), ("Kichwa", 1)),
        double_surname=0.12,
    ),
    Group(
        "colombian",
        7,
        _split(
            "Luz Marina, Claudia, Paola, Diana, Natalia, Yolanda, Lina, Alba, Sandra, Liliana, Marcela, "
            "Catalina, Viviana, Adriana, Gloria, Martha, Beatriz, Jimena, Valentina, Mariana, Leidy, "
            "Yuliana, Andrea, Carolina, Johana"
        ),
        _split(
            "Jhon, Andrés, Carlos, Jairo, Hernán, Édgar, Óscar, Julián, Camilo, Mauricio, Wílmer, Fabio, "
            "Álvaro, Gustavo, Jaime, Sebastián, Santiago, Alejandro, Felipe, Diego, Hugo, Nelson, "
            "Germán, Iván, Jorge"
        ),
        _split(
            "Restrepo, Londoño, Giraldo, Ospina, Cardona, Gómez, Muñoz, Valencia, Arango, Zapata, "
            "Quintero, Castaño, Betancur, Henao, Correa, Osorio, Echeverri, Montoya, Vélez, Agudelo, "
            "Moreno, Rincón, Patiño, Salazar, Duque, Ríos, Cárdenas, Bedoya, Jaramillo, Uribe"
        ),
        (("Spanish", 8), ("English", 2)),
        double_surname=0.15,
    ),
    Group(
        "bangladeshi",
        8,
        _split(
            "Nusrat, Farzana, Sharmin, Tahmina, Rokeya, Shirin, Nasrin, Sumaiya, Fatema, Ayesha, "
            "Jannatul, Sadia, Tasnim, Rumana, Shapla, Mitu, Laila, Roksana, Salma, Anika, Nafisa, "
            "Maliha, Rahima, Shahana, Tania"
        ),
        _split(
            "Mohammed, Abdul, Rahim, Karim, Mizanur, Shafiqul, Habibur, Aminul, Kamrul, Jahangir, "
            "Rafiqul, Shahidul, Anwar, Faruk, Sohel, Rashed, Tanvir, Imran, Nayeem, Sabbir, Rakib, "
            "Tariq, Jamal, Mahbub, Ashraf"
        ),
        _split(
            "Rahman, Hossain, Ahmed, Islam, Uddin, Chowdhury, Miah, Alam, Haque, Sarker, Bhuiyan, "
            "Talukder, Siddique, Karim, Mollah, Sheikh, Khan, Biswas, Das, Roy, Saha, Mondal, Paul, "
            "Chakraborty, Akter, Hasan"
        ),
        (("Bengali", 8), ("English", 2)),
        middle_name=0.05,
    ),
    Group(
        "punjabi_indian",
        5,
        _split(
            "Harpreet, Gurpreet, Manpreet, Jaspreet, Simran, Navdeep, Rajwinder, Kulwinder, Amandeep, "
            "Parminder, Priya, Anjali, Sunita, Pooja, Neha, Kavita, Deepika, Ritu, Meena, Lakshmi, "
            "Divya, Shreya, Anita, Rekha, Sonia"
        ),
        _split(
            "Gurpreet, Harjinder, Jaswinder, Sukhwinder, Balwinder, Ranjit, Manjit, Amarjit, Kuldeep, "
            "Harpal, Rajesh, Suresh, Ramesh, Vikram, Arjun, Rohit, Sanjay, Amit, Anil, Deepak, Vijay, "
            "Ravi, Sunil, Karan, Nikhil"
        ),
        _split(
            "Singh, Sandhu, Gill, Dhillon, Sidhu, Grewal, Bains, Randhawa, Brar, Patel, Shah, Sharma, "
            "Gupta, Kumar, Verma, Malhotra, Kapoor, Mehta, Reddy, Iyer, Nair, Desai, Joshi, Bhatt, "
            "Chopra, Saini"
        ),
        (("Punjabi", 4), ("Hindi", 3), ("Gujarati", 1), ("English", 2)),
        middle_name=0.05,
    ),
    Group(
        "pakistani",
        3,
        _split(
            "Ayesha, Fatima, Zainab, Sana, Hina, Nadia, Saima, Rabia, Amna, Mehwish, Sadia, Bushra, "
            "Farah, Uzma, Shazia, Asma, Noor, Maryam, Samina, Kiran"
        ),
        _split(
            "Muhammad, Ali, Ahmed, Hassan, Usman, Bilal, Imran, Asif, Tariq, Zeeshan, Faisal, Kashif, "
            "Naveed, Shahid, Waqar, Adnan, Irfan, Hamza, Junaid, Omer"
        ),
        _split(
            "Khan, Malik, Butt, Chaudhry, Qureshi, Sheikh, Mirza, Akhtar, Iqbal, Raza, Hussain, Abbasi, "
            "Siddiqui, Javed, Aslam, Rana, Bhatti, Awan, Baig, Ansari"
        ),
        (("Urdu", 7), ("Punjabi", 1), ("English", 2)),
        middle_name=0.05,
    ),
    Group(
        "chinese",
        7,
        _split(
            "Mei, Li, Xiu Ying, Hui, Ying, Yan, Jing, Fang, Lan, Xiaoling, Wai Ling, Siu Mei, Yuk Lan, "
            "Ming, Jia, Wen, Qing, Shu Fen, Lily, Grace, Amy, Jenny, Helen, Winnie, Xiaoyu"
        ),
        _split(
            "Wei, Jian, Hao, Jun, Ming, Lei, Tao, Qiang, Yong, Bo, Kwok Wai, Chi Keung, Wing, Ka Ho, "
            "Siu Ming, Zhiwei, Jie, Peng, Kevin, Eric, Tony, Jason, Danny, Raymond, Vincent"
        ),
        _split(
            "Chen, Lin, Wang, Zhang, Li, Liu, Huang, Wu, Zheng, Yang, Zhao, Chan, Wong, Cheung, Lam, "
            "Ng, Ho, Leung, Lee, Chow, Yip, Tang, Xu, Zhou, Sun, Guo, He, Dong, Luo, Jiang"
        ),
        (("Mandarin", 4), ("Cantonese", 3), ("Fuzhounese", 1), ("English", 2)),
        middle_name=0.02,
    ),
    Group(
        "korean",
        3,
        _split(
            "Ji-yeon, Soo-jin, Min-ji, Eun-ji, Hye-jin, Seo-yeon, Ji-woo, Yoon-hee, Mi-kyung, Young-hee, "
            "Sun-hee, Hyun-joo, Jin-ah, Da-eun, Grace, Esther, Sarah, Christine, Jennifer"
        ),
        _split(
            "Min-jun, Ji-hoon, Sung-min, Dong-hyun, Jae-won, Hyun-woo, Young-ho, Sang-hoon, Jin-woo, "
            "Kyung-soo, Seung-ho, Tae-yang, Joon-ho, Daniel, David, John, Paul, Peter, Andrew"
        ),
        _split(
            "Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Oh, Seo, Shin, Kwon, Hwang, "
            "Ahn, Song, Yoo, Hong, Jeon, Moon, Baek, Nam"
        ),
        (("Korean", 6), ("English", 4)),
        middle_name=0.02,
    ),
    Group(
        "filipino",
        3,
        _split(
            "Maria Cristina, Rosario, Lorna, Marites, Jocelyn, Maricel, Rowena, Analyn, Cherry, Divina, "
            "Leonora, Imelda, Corazon, Teresita, Rhea, Joy, Kristine, Angelica, Princess, Jasmine, "
            "Camille, Liza, Evangeline, Marilou"
        ),
        _split(
            "Jose, Rodel, Ronaldo, Rommel, Arnel, Efren, Reynaldo, Danilo, Eduardo, Ramon, Jun, Mark, "
            "John Paul, Christian, Jerome, Joel, Renato, Marlon, Noel, Rogelio, Francis, Emmanuel, "
            "Jaime, Alvin"
        ),
        _split(
            "Santos, Reyes, Cruz, Bautista, Garcia, Mendoza, Dela Cruz, Villanueva, Ramos, Aquino, "
            "Castillo, Soriano, Manalo, Dizon, Pascual, Macaraeg, Tolentino, Gonzales, Lopez, Salvador, "
            "Panganiban, Mercado, Lacson, Navarro, Domingo, Agustin, Fernandez, Valdez, Samonte, "
            "Magbanua"
        ),
        (("Tagalog", 4), ("English", 5), ("Ilocano", 1)),
        middle_name=0.3,
    ),
    Group(
        "irish",
        3,
        _split(
            "Mary, Bridget, Kathleen, Siobhán, Maureen, Eileen, Colleen, Nora, Aoife, Sinéad, Deirdre, "
            "Margaret, Theresa, Erin, Kelly, Megan, Caitlin, Róisín, Patricia, Noreen, Clare, Fiona, "
            "Orla, Niamh, Anne"
        ),
        _split(
            "Patrick, Sean, Seamus, Michael, Kevin, Brendan, Liam, Declan, Cormac, Eamon, Padraig, "
            "Kieran, Thomas, John, Brian, Dennis, Francis, Joseph, Daniel, Conor, Ciarán, Ronan, Owen, "
            "Martin, James"
        ),
        _split(
            "O'Brien, Murphy, Kelly, O'Sullivan, Walsh, Byrne, Ryan, O'Connor, McCarthy, Doyle, "
            "Gallagher, Kennedy, Lynch, Quinn, Fitzgerald, Brennan, McLaughlin, Flanagan, Donnelly, "
            "Keane, Moran, Duffy, Reilly, Callahan, Sweeney, Hogan, Nolan, McGrath, Fagan, Dolan"
        ),
        (("English", 1),),
        middle_name=0.25,
    ),
    Group(
        "italian",
        3,
        _split(
            "Maria, Giuseppina, Rosa, Antonietta, Angela, Lucia, Carmela, Teresa, Francesca, Giovanna, "
            "Anna, Concetta, Filomena, Gina, Nicole, Gabriella, Alessandra, Rosalie, Dolores, Frances, "
            "Marie, Donna, Carla, Elena"
        ),
        _split(
            "Giuseppe, Salvatore, Vincenzo, Antonio, Giovanni, Carmine, Dominic, Anthony, Frank, Joseph, "
            "Michael, Vincent, Louis, Angelo, Rocco, Nicholas, Paul, Pasquale, Gennaro, Marco, Stefano, "
            "Luca, Matteo, Gino"
        ),
        _split(
            "Russo, Esposito, Romano, Ferraro, Bianchi, Colombo, Ricci, Marino, Greco, Bruno, Gallo, "
            "Conti, DeLuca, Costa, Giordano, Mancini, Rizzo, Lombardi, Moretti, Barbieri, Fontana, "
            "Caruso, Ferrara, Santoro, Mazza, Pellegrino, Longo, Vitale, Cusumano, Lo Bianco"
        ),
        (("English", 8), ("Italian", 2)),
        middle_name=0.2,
    ),
    Group(
        "greek",
        2,
        _split(
            "Maria, Eleni, Katerina, Georgia, Dimitra, Sofia, Anastasia, Vasiliki, Despina, Irini, "
            "Panagiota, Athina, Christina, Evangelia, Stavroula, Niki, Kalliopi, Antigoni, Zoe, Ioanna"
        ),
        _split(
            "Georgios, Dimitrios, Konstantinos, Ioannis, Nikolaos, Panagiotis, Vasilios, Christos, "
            "Athanasios, Stavros, Spyros, Theodoros, Michalis, Petros, Andreas, Kostas, Yannis, Nick, "
            "George, Peter"
        ),
        _split(
            "Papadopoulos, Georgiou, Dimitriou, Nikolaidis, Konstantinou, Pappas, Karras, Vlachos, "
            "Christodoulou, Alexiou, Antonopoulos, Makris, Kostopoulos, Stavrou, Economou, "
            "Papageorgiou, Lambrakis, Vasilakis, Galanis, Triantafyllou"
        ),
        (("English", 6), ("Greek", 4)),
        middle_name=0.1,
    ),
    Group(
        "african_american",
        7,
        _split(
            "Keisha, Tamika, Latoya, Shanice, Aaliyah, Imani, Jasmine, Monique, Tiana, Ebony, Denise, "
            "Gloria, Dorothy, Bernice, Loretta, Yvonne, Angela, Kimberly, Brianna, Destiny, Nia, "
            "Tanisha, Erica, Renee, Jada"
        ),
        _split(
            "DeShawn, Jamal, Tyrone, Marcus, Darnell, Andre, Terrence, Malik, Reginald, Cedric, Darius, "
            "Jerome, Lamont, Curtis, Willie, Calvin, Kevin, Anthony, Isaiah, Jaylen, Xavier, Trevor, "
            "Maurice, Dwayne, Quentin"
        ),
        _split(
            "Washington, Jackson, Johnson, Williams, Brown, Jones, Davis, Harris, Robinson, Thomas, "
            "Walker, Coleman, Jenkins, Gaines, Simmons, Freeman, Banks, Holmes, Mitchell, Dawson, "
            "Bryant, Carter, Gibson, Hayes, Lewis, Wright, Pryor, Graves, Spencer, Tucker"
        ),
        (("English", 1),),
        middle_name=0.25,
    ),
    Group(
        "west_african",
        4,
        _split(
            "Aminata, Fatoumata, Mariama, Awa, Adama, Aïssatou, Kadiatou, Nana, Akosua, Ama, Abena, "
            "Efua, Adwoa, Chiamaka, Ngozi, Adaeze, Funmilayo, Folake, Yetunde, Binta, Hawa, Khady, "
            "Ndèye, Comfort, Oluwaseun"
        ),
        _split(
            "Mamadou, Ousmane, Ibrahima, Moussa, Abdoulaye, Cheikh, Souleymane, Kwame, Kofi, Kwaku, Yaw, "
            "Kojo, Emeka, Chukwuemeka, Obinna, Babatunde, Tunde, Femi, Adebayo, Alassane, Boubacar, "
            "Lamine, Modou, Sékou, Ikechukwu"
        ),
        _split(
            "Diallo, Bah, Sow, Barry, Traoré, Koné, Camara, Cissé, Ndiaye, Diop, Fall, Sy, Touré, Keita, "
            "Mensah, Owusu, Asante, Boateng, Osei, Appiah, Okafor, Okonkwo, Eze, Nwosu, Adeyemi, Okoro, "
            "Balogun, Oyelaran, Coulibaly, Sarpong"
        ),
        (("English", 4), ("French", 2), ("Fula", 1), ("Wolof", 1), ("Twi", 1), ("Yoruba", 1)),
        middle_name=0.15,
    ),
    Group(
        "caribbean",
        5,
        _split(
            "Marcia, Paulette, Sherene, Tricia, Camille, Nadine, Simone, Kerry-Ann, Shauna, Petal, "
            "Indira, Savitri, Bibi, Roxanne, Claudette, Nadège, Guerline, Widline, Fabiola, Jodi-Ann, "
            "Candice, Natasha, Althea, Marie-Claude"
        ),
        _split(
            "Delroy, Winston, Errol, Clive, Everton, Leroy, Devon, Andre, Omari, Rohan, Nigel, Kareem, "
            "Dwayne, Ravi, Vishnu, Deonarine, Jean, Wilner, Fritz, Ricardo, Garfield, Fitzroy, Lennox, "
            "Desmond, Jean-Robert"
        ),
        _split(
            "Campbell, Brown, Williams, Thompson, Clarke, Grant, Bailey, McKenzie, Reid, Spence, Lindo, "
            "Forbes, Persaud, Ramdial, Rampersaud, Ali, Mohammed, Jean-Baptiste, Pierre, Joseph, "
            "Charles, Louis, Étienne, Dorvil, Augustin, Baptiste, Noel, Francis, Alexander, Ramsaran"
        ),
        (("English", 7), ("Haitian Creole", 3)),
        middle_name=0.15,
    ),
    Group(
        "jewish",
        2,
        _split(
            "Miriam, Rachel, Leah, Sarah, Rivka, Esther, Chaya, Devorah, Shoshana, Naomi, Ruth, Judith, "
            "Deborah, Rebecca, Hannah, Tova, Malka, Yael, Talia, Ilana, Adina, Elisheva, Gittel, Bracha"
        ),
        _split(
            "David, Moshe, Yosef, Avraham, Yitzchak, Yaakov, Shmuel, Eli, Aaron, Benjamin, Daniel, "
            "Nathan, Mordechai, Menachem, Chaim, Ari, Jacob, Samuel, Isaac, Noah, Max, Joshua, Ezra, "
            "Gideon, Shlomo"
        ),
        _split(
            "Cohen, Levy, Goldberg, Friedman, Schwartz, Katz, Rosenberg, Klein, Weiss, Kaplan, Horowitz, "
            "Shapiro, Greenberg, Rubin, Stern, Feldman, Adler, Berkowitz, Lieberman, Rosen, Silverman, "
            "Gold, Blum, Weinstein, Hirsch"
        ),
        (("English", 7), ("Yiddish", 1), ("Russian", 1), ("Hebrew", 1)),
        middle_name=0.2,
    ),
    Group(
        "polish",
        2,
        _split(
            "Anna, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna, Elżbieta, Joanna, "
            "Magdalena, Zofia, Danuta, Teresa, Jadwiga, Halina, Beata, Monika, Dorota, Aleksandra, "
            "Natalia, Weronika, Kinga, Grażyna, Wanda, Iwona"
        ),
        _split(
            "Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Marek, Jan, Stanisław, Jerzy, Grzegorz, Michał, "
            "Wojciech, Mariusz, Zbigniew, Tadeusz, Łukasz, Kamil, Jakub, Mateusz, Adam, Dariusz, Rafał, "
            "Sławomir, Bogdan, Henryk"
        ),
        _split(
            "Kowalski, Nowak, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, "
            "Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, "
            "Piotrowski, Grabowski, Nowakowski, Pawłowski, Michalski, Zając, Król, Wieczorek, Jabłoński"
        ),
        (("Polish", 6), ("English", 4)),
        middle_name=0.1,
    ),
)


def feminine_surname(group: Group, surname: str) -> str:
    """The form a woman of the group carries (Polish -ski/-cki become -ska/-cka)."""
    if group.key == "polish" and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    return surname


# Tags for speakers of a language other than English, as organizers name their lists.
SPEAKER_TAGS: dict[str, str] = {
    "Spanish": "spanish speaker",
    "Bengali": "bengali speaker",
    "Punjabi": "punjabi speaker",
    "Hindi": "hindi speaker",
    "Urdu": "urdu speaker",
    "Mandarin": "mandarin speaker",
    "Cantonese": "cantonese speaker",
    "Fuzhounese": "mandarin speaker",
    "Korean": "korean speaker",
    "Tagalog": "tagalog speaker",
    "Haitian Creole": "haitian creole speaker",
    "French": "french speaker",
    "Polish": "polish speaker",
    "Greek": "greek speaker",
}

# North-south avenues, west to east once shuffled; arterials become boulevards.
AVENUE_NAMES: tuple[str, ...] = _split(
    "Elm, Linden, Juniper, Alder, Baxter, Hollis, Corbin, Whitlock, Gerard, Morrison, Calloway, "
    "Fenwick, Mercer, Halsey, Varick, Quimby, Lydig, Seneca, Onderdonk, Bristow, Tiffany, Hewitt, "
    "Ashby, Colden, Barnett, Ferris, Garland, Haviland, Kingsland, Lorimer, Manton, Norwood, "
    "Orchard, Parsons, Radcliff, Saratoga, Thornton, Underhill, Vernon, Waring, Yates, Zerega, "
    "Arden, Benson, Cypress, Dorian, Everdell, Gilmore"
)

# East-west streets, south to north once shuffled.
STREET_NAMES: tuple[str, ...] = _split(
    "Maple, Chestnut, Willow, Cedar, Poplar, Hawthorne, Magnolia, Sycamore, Laurel, Birch, Aster, "
    "Primrose, Ivy, Holly, Clover, Heather, Beech, Spruce, Larch, Myrtle, Hazel, Rowan, Cherry, "
    "Walnut, Hickory, Dogwood, Locust, Mulberry, Tulip, Violet, Jasper, Garnet, Amber, Church, "
    "Market, Liberty, Franklin, Jefferson, Lincoln, Madison, Monroe, Adams, Hamilton, Clinton, "
    "Sherman, Douglass, Tubman, Hughes, Clemente, Hostos, Baldwin, Ellington, Parker, Dewey, "
    "Roebling, Stanton, Truth, Garvey, Robeson, Lamport"
)

# (full suffix, USPS abbreviation, weight) for side streets running east-west.
STREET_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("Street", "St", 14),
    ("Road", "Rd", 2),
    ("Place", "Pl", 2),
    ("Drive", "Dr", 1),
    ("Terrace", "Ter", 1),
)

NEIGHBORHOOD_NAMES: tuple[str, ...] = _split(
    "Linden Hill, Eastbrook Heights, Marsh Point, Juniper Flats, Corbin Park, Old Eastbrook, "
    "Willow Gardens, Fenwick Village, Baxter Square, Seneca Hills, Tiffany Yards, Quimby Terrace, "
    "Halsey Junction, Ferris Meadows, Cedar Manor, Clover Heights, Maple Grove, Orchard Flats, "
    "Kingsland Park, Garnet Hill, Ashby Commons, Lydig Gardens, Hollis Crossing, Mercer Bay, "
    "Poplar Landing, Whitlock Point, Norwood Ridge, Saratoga Park, Underhill Green, Thornton Court, "
    "Hawthorne Village, Garvey Heights, Clemente Houses, Radcliff Flats, Varick Park, Sycamore Row, "
    "Lorimer Yards, Calloway Hills, Bristow Square, Hostos Gardens"
)

EMAIL_DOMAINS: tuple[str, ...] = ("example.org", "example.com", "example.net")

# Mobile area codes are shared by all of New York City; 718 and 347 are the landlines of
# Queens and the Bronx.
MOBILE_AREA_CODES: tuple[str, ...] = ("347", "929", "917", "646", "718")
HOME_AREA_CODES: tuple[str, ...] = ("718", "718", "718", "347")

PETITIONS: tuple[str, ...] = (
    "Freeze the rent",
    "Fix the boilers now",
    "Safe streets on the boulevard",
    "Keep the library open on Sundays",
    "No to the luxury rezoning",
    "Fund the public pool",
)

EVENTS: tuple[str, ...] = (
    "Tenant meeting",
    "Block party and sign-up table",
    "Know your rights workshop",
    "March to the housing court",
    "Community board hearing",
    "Neighborhood assembly",
    "ESL and citizenship clinic",
)

SIGNUP_FORMS: tuple[str, ...] = ("Website sign-up", "Paper sign-up sheet", "Event check-in", "Text-in")

DOOR_RESULTS: tuple[tuple[str, int], ...] = (
    ("talked", 5),
    ("not home", 6),
    ("left literature", 3),
    ("refused", 1),
    ("moved", 1),
)
