"""French plurals in counts (issue 11 item 11: "15 ajoutés", never "fichier(s)")."""

from pi87_field.core.fr import fr_count


def test_french_plural_takes_the_singular_for_zero_and_one():
    assert fr_count(0, "fichier") == "0 fichier"
    assert fr_count(1, "fichier") == "1 fichier"
    assert fr_count(15, "ajouté") == "15 ajoutés"
    assert fr_count(2, "fichier endommagé", "fichiers endommagés") == "2 fichiers endommagés"
