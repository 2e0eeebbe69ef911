# Flows implied by activities (PRODUCT.md section 4), read from the FlowRule triples of the
# ontology: editing those triples in iei.ttl changes the result, with no code change.
#
# For every activity of a partnership, every rule its kind implies (iei:impliesFlow), and every
# pair of participants on the rule's sides (iei:fromSide → iei:toSide), one iei:ImpliedFlow with
# the IRI <activity>/implied/<rule local name>/<provider id>/<recipient id>.
# Sides are found through the class hierarchy (rdf:type/rdfs:subClassOf*), so this runs before
# any materialization; they are computed once per organization in a sub-query and joined. Plain SPARQL 1.1: it runs in any store. Running it twice changes nothing.

PREFIX iei: <https://w3id.org/iei/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>

INSERT {
  ?flow rdf:type iei:ImpliedFlow ;
        iei:impliedBy ?activity ;
        iei:impliedByRule ?rule ;
        iei:flowOf ?partnership ;
        iei:provider ?provider ;
        iei:recipient ?recipient ;
        iei:resource ?resource .
}
WHERE {
  ?kind iei:impliesFlow ?rule .
  ?rule iei:ruleResource ?resource ;
        iei:fromSide ?fromSide ;
        iei:toSide ?toSide .
  ?activity iei:activityKind ?kind .
  { ?activity iei:activityOf ?partnership } UNION { ?partnership iei:hasActivity ?activity }
  ?partnership iei:participant ?provider, ?recipient .
  FILTER (?provider != ?recipient)
  # the side of each organization, found once (not once per activity and pair)
  { SELECT DISTINCT ?provider ?fromSide
    WHERE { ?anyRule iei:fromSide ?fromSide . ?provider rdf:type/rdfs:subClassOf* ?fromSide } }
  { SELECT DISTINCT ?recipient ?toSide
    WHERE { ?anyRule iei:toSide ?toSide . ?recipient rdf:type/rdfs:subClassOf* ?toSide } }
  ?provider dcterms:identifier ?providerId .
  ?recipient dcterms:identifier ?recipientId .
  BIND (IRI(CONCAT(STR(?activity), "/implied/", REPLACE(STR(?rule), "^.*[#/]", ""), "/",
                   ENCODE_FOR_URI(STR(?providerId)), "/", ENCODE_FOR_URI(STR(?recipientId))))
        AS ?flow)
}
