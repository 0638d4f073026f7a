#!/bin/bash

__lgadmin_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__lgadmin_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__lgadmin_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__lgadmin_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_lgadmin() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(-h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    console|init|demo|customers|optouts|mailing|comms|reports|moderation|disclosures|transparency|policy|users|audit|store|traffic|help)
        # Offer subcommand argument completions
        "_lgadmin_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'console init demo customers optouts mailing comms reports moderation disclosures transparency policy users audit store traffic help' -- "${cur}"))
        ;;
    esac
}

_lgadmin_console() {
    repeating_flags=()
    non_repeating_flags=(--read-only --no-color -h --help)
    repeating_options=(--traffic-log)
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--traffic-log')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_init() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_demo() {
    repeating_flags=()
    non_repeating_flags=(--no-console --no-color -h --help)
    repeating_options=()
    non_repeating_options=(--customers --seed --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--customers')
        return
        ;;
    '--seed')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|add|update|note|import)
        # Offer subcommand argument completions
        "_lgadmin_customers_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show add update note import' -- "${cur}"))
        ;;
    esac
}

_lgadmin_customers_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--filter --status --limit --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--filter')
        return
        ;;
    '--status')
        __lgadmin_add_completions -W 'active'$'\n''suspended'$'\n''closed'
        return
        ;;
    '--limit')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers_add() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--alt-email --service)
    non_repeating_options=(--name --email --phone --address --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--email')
        return
        ;;
    '--phone')
        return
        ;;
    '--address')
        return
        ;;
    '--alt-email')
        return
        ;;
    '--service')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers_update() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--service --alt-email)
    non_repeating_options=(--name --email --phone --address --status --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--email')
        return
        ;;
    '--phone')
        return
        ;;
    '--address')
        return
        ;;
    '--status')
        __lgadmin_add_completions -W 'active'$'\n''suspended'$'\n''closed'
        return
        ;;
    '--service')
        return
        ;;
    '--alt-email')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers_note() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_customers_import() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    submit|ingest|list|show|apply|need-info|reject)
        # Offer subcommand argument completions
        "_lgadmin_optouts_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'submit ingest list show apply need-info reject' -- "${cur}"))
        ;;
    esac
}

_lgadmin_optouts_submit() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--scope)
    non_repeating_options=(--contact --source --note --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--contact')
        return
        ;;
    '--scope')
        return
        ;;
    '--source')
        return
        ;;
    '--note')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_ingest() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--state --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state')
        __lgadmin_add_completions -W 'pending'$'\n''needs-info'$'\n''applied'$'\n''rejected'
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_apply() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_need-info() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_optouts_reject() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--reason --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--reason')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_mailing() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    export)
        # Offer subcommand argument completions
        "_lgadmin_mailing_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'export' -- "${cur}"))
        ;;
    esac
}

_lgadmin_mailing_export() {
    repeating_flags=()
    non_repeating_flags=(--csv --json -h --help)
    repeating_options=()
    non_repeating_options=(--partner --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--partner')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __lgadmin_add_completions -W 'newsletter'$'\n''product-notices'$'\n''partner-offers'$'\n''service-bulletins'
        return
        ;;
    esac
}

_lgadmin_comms() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    import-maildir|list|view)
        # Offer subcommand argument completions
        "_lgadmin_comms_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'import-maildir list view' -- "${cur}"))
        ;;
    esac
}

_lgadmin_comms_import-maildir() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--customer --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--customer')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_comms_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--customer --state --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--customer')
        return
        ;;
    '--state')
        __lgadmin_add_completions -W 'visible'$'\n''blocked'$'\n''deleted'
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_comms_view() {
    repeating_flags=()
    non_repeating_flags=(--raw --json -h --help)
    repeating_options=()
    non_repeating_options=(--case --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--case')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_reports() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    file|list|show|confirm)
        # Offer subcommand argument completions
        "_lgadmin_reports_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'file list show confirm' -- "${cur}"))
        ;;
    esac
}

_lgadmin_reports_file() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--comm --trigger --reason --reporter --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--comm')
        return
        ;;
    '--trigger')
        __lgadmin_add_completions -W 'abuse-report'$'\n''tou-complaint'$'\n''automated-flag'$'\n''legal'
        return
        ;;
    '--reason')
        return
        ;;
    '--reporter')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_reports_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--state --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state')
        __lgadmin_add_completions -W 'open'$'\n''blocked'$'\n''reinstated'$'\n''dismissed'$'\n''deleted'
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_reports_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_reports_confirm() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_moderation() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    block|unblock|delete|dismiss)
        # Offer subcommand argument completions
        "_lgadmin_moderation_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'block unblock delete dismiss' -- "${cur}"))
        ;;
    esac
}

_lgadmin_moderation_block() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--ground --clause --note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ground')
        __lgadmin_add_completions -W 'harm-company'$'\n''harm-customers'$'\n''harm-third-parties'$'\n''tou-violation'
        return
        ;;
    '--clause')
        return
        ;;
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_moderation_unblock() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--reason --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--reason')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_moderation_delete() {
    repeating_flags=()
    non_repeating_flags=(--confirm --json -h --help)
    repeating_options=()
    non_repeating_options=(--ground --clause --note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ground')
        __lgadmin_add_completions -W 'harm-company'$'\n''harm-customers'$'\n''harm-third-parties'$'\n''tou-violation'
        return
        ;;
    '--clause')
        return
        ;;
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_moderation_dismiss() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    record|update|approve|refuse|withdraw|release|notify|delay-notice|list|show)
        # Offer subcommand argument completions
        "_lgadmin_disclosures_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'record update approve refuse withdraw release notify delay-notice list show' -- "${cur}"))
        ;;
    esac
}

_lgadmin_disclosures_record() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--customer --comm --category)
    non_repeating_options=(--kind --ground --requester --requester-type --request-type --reference --case --due --received --note --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--kind')
        __lgadmin_add_completions -W 'content'$'\n''account'$'\n''partner-share'$'\n''traffic-aggregate'
        return
        ;;
    '--ground')
        return
        ;;
    '--requester')
        return
        ;;
    '--requester-type')
        __lgadmin_add_completions -W 'law-enforcement'$'\n''court'$'\n''government-agency'$'\n''civil-litigant'$'\n''partner'$'\n''customer'$'\n''internal'
        return
        ;;
    '--request-type')
        __lgadmin_add_completions -W 'subpoena'$'\n''court-order'$'\n''warrant'$'\n''interception-order'$'\n''emergency'$'\n''preservation'$'\n''partner-agreement'$'\n''other'
        return
        ;;
    '--reference')
        return
        ;;
    '--customer')
        return
        ;;
    '--comm')
        return
        ;;
    '--case')
        return
        ;;
    '--category')
        __lgadmin_add_completions -W 'contact'$'\n''account-status'$'\n''services'$'\n''customer-log'$'\n''content'
        return
        ;;
    '--due')
        return
        ;;
    '--received')
        return
        ;;
    '--note')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_update() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--customer --comm --category)
    non_repeating_options=(--ground --requester --requester-type --request-type --reference --case --due --received --note --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ground')
        return
        ;;
    '--requester')
        return
        ;;
    '--requester-type')
        __lgadmin_add_completions -W 'law-enforcement'$'\n''court'$'\n''government-agency'$'\n''civil-litigant'$'\n''partner'$'\n''customer'$'\n''internal'
        return
        ;;
    '--request-type')
        __lgadmin_add_completions -W 'subpoena'$'\n''court-order'$'\n''warrant'$'\n''interception-order'$'\n''emergency'$'\n''preservation'$'\n''partner-agreement'$'\n''other'
        return
        ;;
    '--reference')
        return
        ;;
    '--customer')
        return
        ;;
    '--comm')
        return
        ;;
    '--case')
        return
        ;;
    '--category')
        __lgadmin_add_completions -W 'contact'$'\n''account-status'$'\n''services'$'\n''customer-log'$'\n''content'
        return
        ;;
    '--due')
        return
        ;;
    '--received')
        return
        ;;
    '--note')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_approve() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_refuse() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--reason --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--reason')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_withdraw() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--reason --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--reason')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_release() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--only)
    non_repeating_options=(--outcome --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--outcome')
        __lgadmin_add_completions -W 'all'$'\n''partial'$'\n''narrowed'$'\n''refused'
        return
        ;;
    '--only')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_notify() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--method --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--method')
        __lgadmin_add_completions -W 'email'$'\n''post'$'\n''phone'$'\n''other'
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_delay-notice() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--until --order --expect-version --store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--until')
        return
        ;;
    '--order')
        return
        ;;
    '--expect-version')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_list() {
    repeating_flags=()
    non_repeating_flags=(--notice-due --json -h --help)
    repeating_options=()
    non_repeating_options=(--state --kind --ground --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state')
        __lgadmin_add_completions -W 'recorded'$'\n''approved'$'\n''released'$'\n''refused'$'\n''withdrawn'
        return
        ;;
    '--kind')
        __lgadmin_add_completions -W 'content'$'\n''account'$'\n''partner-share'$'\n''traffic-aggregate'
        return
        ;;
    '--ground')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_disclosures_show() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_transparency() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    report)
        # Offer subcommand argument completions
        "_lgadmin_transparency_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'report' -- "${cur}"))
        ;;
    esac
}

_lgadmin_transparency_report() {
    repeating_flags=()
    non_repeating_flags=(--csv --json -h --help)
    repeating_options=()
    non_repeating_options=(--period --from --to --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--period')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_policy() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check)
        # Offer subcommand argument completions
        "_lgadmin_policy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check' -- "${cur}"))
        ;;
    esac
}

_lgadmin_policy_check() {
    repeating_flags=()
    non_repeating_flags=(--strict --json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_users() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    grant|revoke|list)
        # Offer subcommand argument completions
        "_lgadmin_users_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'grant revoke list' -- "${cur}"))
        ;;
    esac
}

_lgadmin_users_grant() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    2)
        __lgadmin_add_completions -W 'admin'$'\n''support'$'\n''moderator'$'\n''auditor'
        return
        ;;
    esac
}

_lgadmin_users_revoke() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_users_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_audit() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|verify|head)
        # Offer subcommand argument completions
        "_lgadmin_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list verify head' -- "${cur}"))
        ;;
    esac
}

_lgadmin_audit_list() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--actor --action --target --since --until --limit --store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--actor')
        return
        ;;
    '--action')
        return
        ;;
    '--target')
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--limit')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=(--anchor)
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--anchor')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_audit_head() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_store() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check|compact|stats|scan|migrate)
        # Offer subcommand argument completions
        "_lgadmin_store_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check compact stats scan migrate' -- "${cur}"))
        ;;
    esac
}

_lgadmin_store_check() {
    repeating_flags=()
    non_repeating_flags=(--repair --yes --json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_store_compact() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_store_stats() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_store_scan() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_store_migrate() {
    repeating_flags=()
    non_repeating_flags=(--json -h --help)
    repeating_options=()
    non_repeating_options=(--store --as --to)
    __lgadmin_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_lgadmin_traffic() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __lgadmin_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    report)
        # Offer subcommand argument completions
        "_lgadmin_traffic_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'report' -- "${cur}"))
        ;;
    esac
}

_lgadmin_traffic_report() {
    repeating_flags=()
    non_repeating_flags=(--csv --json -h --help)
    repeating_options=(--by --site)
    non_repeating_options=(--min-count --period --for --store --as)
    __lgadmin_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--min-count')
        return
        ;;
    '--period')
        __lgadmin_add_completions -W 'day'$'\n''week'$'\n''month'
        return
        ;;
    '--by')
        return
        ;;
    '--for')
        return
        ;;
    '--site')
        return
        ;;
    '--store')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_lgadmin_help() {
    :
}

complete -o filenames -F _lgadmin lgadmin
