# /help, per role, and the command menus Telegram shows beside the input field.

help-client =
    Write your question and an operator will answer here.
    /language – choose your language
help-operator =
    Operator commands:
    /contacts – your open contacts
    /close [number] – close a contact
    /transfer &lt;number&gt; &lt;op&gt; [note] – pass a contact to a colleague
    /move &lt;number&gt; &lt;topic&gt; – move a contact to another topic of its bot
    /t [name] – as a reply to a contact: send one of this bot's templates
    /history &lt;number&gt; – a contact's whole conversation as a file
    /ban &lt;number&gt; – block the client of a contact (spam)
    /pause, /resume – stop or restart getting contacts
    /me – your load
    /language – choose your language
help-admin =
    Admin commands:
    /operators
    /addop &lt;id&gt; [limit]
    /delop &lt;op&gt;
    /limit &lt;op&gt; &lt;n&gt;
    /activate &lt;op&gt;, /deactivate &lt;op&gt;
    /weights [@form|topic] [&lt;op&gt;=&lt;w&gt; …]
    /mode [random|exact|least_loaded] – how this bot shares contacts
    /sources
    /queue
    /stats [days] – and how operators did in the last week (or days)
    /stats chart – the same, and the last day's queue and loads, as a picture
    /assign &lt;contact&gt; &lt;op&gt;
    /why &lt;contact&gt; – why it went where it went
    /invite [limit]
    /texts – this bot's texts for clients
    /text &lt;name&gt; &lt;language&gt; [text…] – set one, or restore the default
    /templates – this bot's templates (canned replies)
    /template add &lt;name&gt; &lt;text…&gt;, /template del &lt;name&gt;
    /topics – this bot's topics for clients and their weights
    /topic add &lt;name&gt; &lt;title…&gt;, /topic del &lt;name&gt;
    /move &lt;contact&gt; &lt;topic&gt; – move a contact to another topic
    /hours [schedule|off] – this bot's business hours, or set them
    /holiday [del] YYYY-MM-DD, /holidays – days it stays closed
    /afterhours [queue|duty] – whether operators on duty take contacts while it is closed
    /shift &lt;op&gt; [schedule|off] – an operator's own working hours
    /duty &lt;op&gt; on|off – whether they take contacts while a desk is closed
    /history &lt;contact&gt; – its whole conversation as a file
    /ban &lt;contact&gt; – block its client; /unban &lt;id&gt;, /banned – lift it, who is blocked
    /language – choose your language
    &lt;op&gt; is a Telegram id or an @username.

language-choose = Choose your language:
language-chosen = From now on I write to you in English.

menu-help = What I can do
menu-language = Choose your language
menu-contacts = Your open contacts
menu-close = Close a contact
menu-pause = Stop getting new contacts
menu-resume = Get new contacts again
menu-transfer = Pass a contact to a colleague
menu-me = Your load and limit
menu-operators = Operators, load, weights
menu-addop = Add an operator
menu-delop = Remove an operator
menu-limit = Set an operator's limit
menu-activate = Activate an operator
menu-deactivate = Deactivate an operator
menu-weights = Show or set this bot's weights
menu-mode = How this bot shares contacts
menu-sources = Bots and their traffic
menu-queue = Queued contacts
menu-stats = Statistics
menu-assign = Give a contact to an operator
menu-why = Why a contact went where it went
menu-invite = One-time operator invite link
menu-texts = This bot's texts for clients
menu-text = Change one of them
menu-t = Send a template to a contact
menu-history = A contact's conversation as a file
menu-templates = This bot's templates
menu-template = Add or remove a template
menu-ban = Block the client of a contact
menu-unban = Lift a client's block
menu-banned = Blocked clients
